using CoachFunctions.Coaching;

namespace CoachFunctions.Tests.Coaching;

/// <summary>
/// Time-zone ids: any letter case maps to the tz database's spelling, the same answer whatever zones
/// the process loaded before (the cache is cleared to show it); Windows ids, paths, tables and
/// garbage are refused; a stored id never throws.
/// </summary>
public sealed class TimeZonesTests
{
    [Theory]
    [InlineData("Asia/Kathmandu", "Asia/Kathmandu")]
    [InlineData("asia/kathmandu", "Asia/Kathmandu")]
    [InlineData("ASIA/SHANGHAI", "Asia/Shanghai")]
    [InlineData("europe/BERLIN", "Europe/Berlin")]
    [InlineData("America/NEW_york", "America/New_York")]
    [InlineData("america/argentina/buenos_aires", "America/Argentina/Buenos_Aires")]
    [InlineData("UTC", "UTC")]
    [InlineData("utc", "UTC")]
    [InlineData("Etc/GMT+5", "Etc/GMT+5")]
    [InlineData("etc/gmt+5", "Etc/GMT+5")]
    [InlineData("ETC/GMT-14", "Etc/GMT-14")]
    [InlineData("etc/utc", "Etc/UTC")]
    [InlineData("asia/calcutta", "Asia/Calcutta")] // a link, kept: it is the name ICU (and so browsers) report
    public void Any_case_maps_to_the_canonical_id(string input, string expected)
    {
        TimeZoneInfo.ClearCachedData();
        Assert.True(TimeZones.TryCanonicalize(input, out var id), input);
        Assert.Equal(expected, id);

        // Once the zone is loaded (and cached case-insensitively), the answer is the same.
        _ = TimeZoneInfo.FindSystemTimeZoneById(expected);
        Assert.True(TimeZones.TryCanonicalize(input, out var again));
        Assert.Equal(expected, again);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("Mars/Olympus")]
    [InlineData("W. Europe Standard Time")]   // Windows ids are refused, not converted
    [InlineData("Pacific Standard Time")]
    [InlineData("China Standard Time")]
    [InlineData("Asia//Kathmandu")]
    [InlineData(" Asia/Kathmandu")]
    [InlineData("Asia/Kathmandu ")]
    [InlineData("Asia/Kathmandu\0")]
    [InlineData("Asia")]
    [InlineData("Asia/")]
    [InlineData("../../etc/localtime")]
    [InlineData("/etc/localtime")]
    [InlineData("/usr/share/zoneinfo/UTC")]
    [InlineData("localtime")]                 // the host's own zone, not the user's
    [InlineData("posixrules")]
    [InlineData("posix/Asia/Kathmandu")]
    [InlineData("right/UTC")]
    [InlineData("zone.tab")]
    [InlineData("Factory")]
    [InlineData("UTC'; DROP TABLE UserData; --")]
    [InlineData("+05:45")]
    public void Anything_else_is_refused(string? input)
    {
        TimeZoneInfo.ClearCachedData();
        Assert.False(TimeZones.TryCanonicalize(input, out var id), input);
        Assert.Null(id);
    }

    [Fact]
    public void An_id_longer_than_the_limit_is_refused() =>
        Assert.False(TimeZones.TryCanonicalize("America/" + new string('x', TimeZones.MaxIdLength), out _));

    [Theory]
    [InlineData("Asia/Kathmandu", "Asia/Kathmandu")]
    [InlineData("asia/kathmandu", "Asia/Kathmandu")]
    [InlineData("ETC/GMT+5", "Etc/GMT+5")]
    public void A_stored_id_in_the_wrong_case_resolves_to_its_zone(string stored, string zone)
    {
        TimeZoneInfo.ClearCachedData();
        var resolved = TimeZones.Resolve(stored);
        Assert.Equal(zone, resolved.Id);
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById(zone).BaseUtcOffset, resolved.BaseUtcOffset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus")]
    [InlineData("../../etc/passwd")]
    [InlineData("Asia/Kathmandu\0")]
    public void A_stored_id_that_names_no_zone_reads_as_utc(string? stored)
    {
        TimeZoneInfo.ClearCachedData();
        Assert.Same(TimeZoneInfo.Utc, TimeZones.Resolve(stored));
    }

    [Fact]
    public void Preferences_use_the_resolved_zone()
    {
        TimeZoneInfo.ClearCachedData();
        Assert.Equal("Asia/Kathmandu", (UserPreferences.Default with { TimeZone = "asia/KATHMANDU" }).Zone.Id);
        Assert.Same(TimeZoneInfo.Utc, (UserPreferences.Default with { TimeZone = "Nowhere/Atall" }).Zone);
    }
}
