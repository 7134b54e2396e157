namespace CoachFunctions.Coaching.Channels.WeCom;

/// <summary>
/// Whether a WeCom message may go out now, before anything is sent. The order matters: what no
/// waiting can fix (no session, the window closed or used up) refuses first; quiet time waits if the
/// window is still open when it ends; the daily limit refuses (its day may end inside quiet time,
/// which is why quiet time is judged before it).
/// </summary>
public static class WeComRules
{
    public const string NotLinked = "no linked WeCom session";
    public const string NoInbound = "the user has not written to the WeCom account yet (WeCom's 48-hour window is not open)";
    public const string WindowClosed = "outside WeCom's 48-hour window since the user's last message";
    public const string WindowUsedUp = "WeCom's 5 messages since the user's last message are used up";
    public const string QuietTime = "WeCom quiet time";
    public const string QuietPastWindow = "WeCom quiet time lasts past the 48-hour window";
    public const string DailyLimitReached = "WeCom daily limit reached";

    /// <summary>Null when the message may go out now; otherwise why not (refused, or retry when quiet time ends).</summary>
    public static ChannelResult? Check(WeComSession? session, DateTimeOffset now, TimeZoneInfo zone, WeComLimits limits)
    {
        if (session is null) return ChannelResult.Refuse(NotLinked);
        if (session.LastInboundAt is not { } last) return ChannelResult.Refuse(NoInbound);
        var windowEnd = last + WeComLimits.Window;
        if (now >= windowEnd) return ChannelResult.Refuse(WindowClosed);
        if (session.SentInWindow >= WeComLimits.MaxPerWindow) return ChannelResult.Refuse(WindowUsedUp);

        if (QuietEnd(now, zone, limits) is { } quietEnd)
            return quietEnd < windowEnd ? ChannelResult.Retry(QuietTime, quietEnd - now) : ChannelResult.Refuse(QuietPastWindow);

        var today = LocalClock.DateOf(now, zone);
        if (session.SentDay == today && session.SentOnDay >= limits.DailyLimit) return ChannelResult.Refuse(DailyLimitReached);
        return null;
    }

    /// <summary>When the quiet time <paramref name="now"/> falls in ends; null outside it.</summary>
    public static DateTimeOffset? QuietEnd(DateTimeOffset now, TimeZoneInfo zone, WeComLimits limits)
    {
        if (!limits.HasQuietTime) return null;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var date = DateOnly.FromDateTime(local.DateTime);
        var (start, end) = (limits.QuietStart, limits.QuietEnd);
        if (start < end)
            return time >= start && time < end ? LocalClock.ToInstant(zone, date, end) : null;
        // Across midnight (22:00-08:00): the evening part ends tomorrow morning, the morning part today.
        if (time >= start) return LocalClock.ToInstant(zone, date.AddDays(1), end);
        if (time < end) return LocalClock.ToInstant(zone, date, end);
        return null;
    }
}
