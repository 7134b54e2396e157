using CoachFunctions.Coaching;
using static CoachFunctions.Tests.Coaching.EngineTestData;

namespace CoachFunctions.Tests.Coaching;

/// <summary>Local date and time to instant, across daylight-saving changes: gaps move forward, repeats take the earlier instant.</summary>
public sealed class LocalClockTests
{
    [Theory]
    [InlineData(Shanghai, "2026-11-21", "00:00", "2026-11-20T16:00:00Z")]
    [InlineData(Utc, "2026-11-21", "00:00", "2026-11-21T00:00:00Z")]
    [InlineData(NewYork, "2026-03-08", "01:59", "2026-03-08T06:59:00Z")] // last EST minute
    [InlineData(NewYork, "2026-03-08", "02:30", "2026-03-08T07:00:00Z")] // in the gap: the jump to 03:00 EDT
    [InlineData(NewYork, "2026-03-08", "03:00", "2026-03-08T07:00:00Z")]
    [InlineData(NewYork, "2026-11-01", "01:30", "2026-11-01T05:30:00Z")] // repeated: the EDT occurrence
    [InlineData(NewYork, "2026-11-01", "02:00", "2026-11-01T07:00:00Z")]
    [InlineData(Berlin, "2026-03-29", "02:30", "2026-03-29T01:00:00Z")]  // gap → 03:00 CEST
    [InlineData(Berlin, "2026-10-25", "02:30", "2026-10-25T00:30:00Z")]  // repeated: the CEST occurrence
    [InlineData(Berlin, "2026-10-25", "03:00", "2026-10-25T02:00:00Z")]
    [InlineData("America/Havana", "2026-03-08", "00:00", "2026-03-08T05:00:00Z")] // midnight itself is skipped: day starts 01:00
    [InlineData("America/Havana", "2026-11-01", "00:00", "2026-11-01T04:00:00Z")] // midnight twice: the earlier
    public void ToInstant_is_daylight_saving_safe(string zone, string date, string time, string expected)
    {
        Assert.Equal(At(expected), LocalClock.ToInstant(Zone(zone), Day(date), TimeOnly.Parse(time)));
    }

    [Theory]
    [InlineData(NewYork, "2026-11-01T05:10:00Z", "01:30", "2026-11-01T05:30:00Z")] // 01:10 EDT: the first 01:30
    [InlineData(NewYork, "2026-11-01T06:10:00Z", "01:30", "2026-11-01T06:30:00Z")] // 01:10 EST: the repeated 01:30, not tomorrow's
    [InlineData(Shanghai, "2026-11-21T15:00:00Z", "08:00", "2026-11-22T00:00:00Z")] // 23:00 → tomorrow 08:00
    [InlineData(Shanghai, "2026-11-21T00:00:00Z", "08:00", "2026-11-22T00:00:00Z")] // exactly 08:00 → strictly after
    [InlineData(Berlin, "2026-03-29T00:30:00Z", "03:00", "2026-03-29T01:00:00Z")]
    public void NextAt_is_the_next_wall_clock_occurrence_strictly_after_now(string zone, string now, string time, string expected)
    {
        Assert.Equal(At(expected), Clock(zone, At(now)).NextAt(TimeOnly.Parse(time)));
    }

    [Theory]
    [InlineData("2026-11-16", "2026-W47", "2026-11-16")]
    [InlineData("2026-11-22", "2026-W47", "2026-11-16")]
    [InlineData("2026-11-23", "2026-W48", "2026-11-23")]
    [InlineData("2027-01-03", "2026-W53", "2026-12-28")]
    [InlineData("2024-12-30", "2025-W01", "2024-12-30")]
    public void Iso_weeks_run_Monday_to_Sunday_and_belong_to_the_year_of_their_Thursday(string date, string week, string monday)
    {
        Assert.Equal(week, LocalClock.IsoWeek(Day(date)));
        Assert.Equal(Day(monday), LocalClock.WeekStart(Day(date)));
    }

    [Theory]
    [InlineData(NewYork, "2026-03-07T12:00:00Z", "2026-03-08T05:00:00Z")] // midnight before the change: EST
    [InlineData(NewYork, "2026-03-08T12:00:00Z", "2026-03-09T04:00:00Z")] // midnight after it: EDT
    [InlineData(Shanghai, "2026-11-21T15:59:00Z", "2026-11-21T16:00:00Z")] // 23:59 local: one minute to go
    [InlineData(Shanghai, "2026-11-21T16:01:00Z", "2026-11-22T16:00:00Z")]
    public void Next_midnight_is_local(string zone, string now, string expected)
    {
        Assert.Equal(At(expected), Clock(zone, At(now)).NextMidnight);
    }
}
