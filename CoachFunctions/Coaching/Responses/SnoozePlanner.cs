namespace CoachFunctions.Coaching.Responses;

/// <summary>
/// When a snoozed prompt goes out again: after the snooze, moved to the end of quiet hours if it
/// would land inside them, and never past the prompt's expiry (null: it would expire first).
/// </summary>
public static class SnoozePlanner
{
    public static DateTimeOffset? Until(DateTimeOffset now, TimeSpan snooze, UserPreferences preferences, DateTimeOffset? expiresAt)
    {
        var at = now + snooze;
        var zone = preferences.Zone;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (preferences.QuietHours.Contains(time))
        {
            // Inside quiet hours: the next time the wall clock shows their end (today, or tomorrow when they cross midnight).
            var day = DateOnly.FromDateTime(local.DateTime);
            if (time >= preferences.QuietHours.End) day = day.AddDays(1);
            at = LocalTimes.ToUtc(day, preferences.QuietHours.End, zone);
        }
        return expiresAt is { } expiry && at >= expiry ? null : at;
    }
}

/// <summary>Local wall-clock times to instants, safe across daylight-saving gaps.</summary>
public static class LocalTimes
{
    public static DateTimeOffset ToUtc(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        // A time skipped by a spring-forward gap does not exist: use the first instant after the gap.
        for (var i = 0; i < 4 && zone.IsInvalidTime(local); i++) local = local.AddMinutes(30);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    /// <summary>The instant the local day after <paramref name="today"/> ends (midnight two days on).</summary>
    public static DateTimeOffset EndOfNextDay(DateOnly today, TimeZoneInfo zone) => ToUtc(today.AddDays(2), TimeOnly.MinValue, zone);
}
