namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// Real time, moved by a fixed offset: the app under test lives at a chosen wall-clock moment
/// (a few seconds before quiet hours end, say) while queues, sockets and delays run in real time.
/// </summary>
public sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
{
    public TimeSpan Offset { get; } = offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>A clock whose "now" is the nearest instant (within ±30 s) at <paramref name="second"/> seconds past a minute.</summary>
    public static ShiftedTimeProvider AtSecond(int second)
    {
        var now = System.GetUtcNow();
        var offset = TimeSpan.FromSeconds(second - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond);
        if (offset > TimeSpan.FromSeconds(30)) offset -= TimeSpan.FromMinutes(1);
        if (offset < TimeSpan.FromSeconds(-30)) offset += TimeSpan.FromMinutes(1);
        return new ShiftedTimeProvider(offset);
    }
}

/// <summary>Picks a fixed-offset IANA zone and a clock so the app's local time there is a chosen moment.</summary>
public static class LocalMoment
{
    /// <summary>
    /// A zone (Etc/GMT±N, no DST) and a clock at most an hour behind real time, so that local time
    /// there is <paramref name="localTime"/>. Behind, never ahead: tokens minted by the shifted clock
    /// stay valid for the real clock that checks them.
    /// </summary>
    public static (ShiftedTimeProvider Clock, string Zone, TimeZoneInfo Info) At(TimeOnly localTime)
    {
        var real = TimeProvider.System.GetUtcNow();
        foreach (var hours in Enumerable.Range(-12, 27))
        {
            var zone = hours == 0 ? "Etc/UTC" : $"Etc/GMT{(hours > 0 ? "-" : "+")}{Math.Abs(hours)}"; // IANA's Etc signs are inverted
            var info = TimeZoneInfo.FindSystemTimeZoneById(zone);
            var local = TimeZoneInfo.ConvertTime(real, info);
            var behind = local.TimeOfDay - localTime.ToTimeSpan();
            if (behind < TimeSpan.Zero) behind += TimeSpan.FromDays(1);
            if (behind < TimeSpan.FromHours(1)) return (new ShiftedTimeProvider(-behind), zone, info);
        }
        throw new InvalidOperationException("Whole-hour offsets from -12 to +14 cover every hour of the day.");
    }
}
