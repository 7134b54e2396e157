using System.Globalization;

namespace CoachFunctions.Coaching;

/// <summary>
/// "Now" and "today" as the user sees them on their own wall clock, and the way back from a local
/// date and time to an instant. Every local-to-instant conversion in the engine goes through
/// <see cref="ToInstant(DateOnly, TimeOnly)"/> so daylight-saving changes are handled in one place.
/// </summary>
public readonly record struct LocalClock(DateTimeOffset UtcNow, TimeZoneInfo Zone)
{
    public DateTimeOffset LocalNow => TimeZoneInfo.ConvertTime(UtcNow, Zone);

    public DateOnly Today => DateOnly.FromDateTime(LocalNow.DateTime);

    public TimeOnly TimeOfDay => TimeOnly.FromDateTime(LocalNow.DateTime);

    public DateOnly DateOf(DateTimeOffset instant) => DateOf(instant, Zone);

    public static DateOnly DateOf(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The start of the next local day.</summary>
    public DateTimeOffset NextMidnight => ToInstant(Today.AddDays(1), TimeOnly.MinValue);

    /// <summary>The start of the local day after the one <paramref name="instant"/> falls on.</summary>
    public DateTimeOffset NextMidnightAfter(DateTimeOffset instant) => ToInstant(DateOf(instant).AddDays(1), TimeOnly.MinValue);

    public DateTimeOffset ToInstant(DateOnly date, TimeOnly time) => ToInstant(Zone, date, time);

    /// <summary>
    /// The instant a local date and time names. A time in a spring-forward gap does not exist on the
    /// wall clock: it becomes the first valid instant after it (the moment the clocks jump). A time
    /// the fall-back repeats takes its earlier occurrence, so nothing waits an extra hour.
    /// </summary>
    public static DateTimeOffset ToInstant(TimeZoneInfo zone, DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
        {
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, offset).ToUniversalTime();
        }
        if (zone.IsInvalidTime(local)) return FirstInstantAfterGap(zone, local);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>
    /// The next instant strictly after now whose wall-clock time is <paramref name="time"/>; on a
    /// fall-back day the repeated occurrence counts too (today's first one may already be past).
    /// </summary>
    public DateTimeOffset NextAt(TimeOnly time)
    {
        for (var date = Today.AddDays(-1); date <= Today.AddDays(2); date = date.AddDays(1))
        {
            var local = date.ToDateTime(time, DateTimeKind.Unspecified);
            var candidates = Zone.IsAmbiguousTime(local)
                ? Zone.GetAmbiguousTimeOffsets(local).OrderByDescending(o => o).Select(o => new DateTimeOffset(local, o).ToUniversalTime())
                : [ToInstant(date, time)];
            foreach (var candidate in candidates)
                if (candidate > UtcNow) return candidate;
        }
        throw new InvalidOperationException("No occurrence of a wall-clock time within two days.");
    }

    /// <summary>The ISO week (Monday to Sunday) a local date belongs to, such as 2026-W47.</summary>
    public static string IsoWeek(DateOnly date)
    {
        var day = date.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(day):D4}-W{ISOWeek.GetWeekOfYear(day):D2}");
    }

    /// <summary>The Monday that starts the ISO week of <paramref name="date"/>.</summary>
    public static DateOnly WeekStart(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    /// <summary>
    /// Binary search for the moment the clocks jump: before it every local time is earlier than the
    /// gap time, after it every local time is later. The bounds use the offsets either side of the gap.
    /// </summary>
    private static DateTimeOffset FirstInstantAfterGap(TimeZoneInfo zone, DateTime local)
    {
        var before = zone.GetUtcOffset(local.AddHours(-6));
        var after = zone.GetUtcOffset(local.AddHours(6));
        var lo = new DateTimeOffset(local, TimeSpan.Zero) - after;   // before the jump
        var hi = new DateTimeOffset(local, TimeSpan.Zero) - before;  // at or after the jump
        if (lo > hi) (lo, hi) = (hi, lo);
        while (hi - lo > TimeSpan.FromSeconds(1))
        {
            var mid = lo + (hi - lo) / 2;
            if (TimeZoneInfo.ConvertTime(mid, zone).DateTime >= local) hi = mid;
            else lo = mid;
        }
        // Transitions fall on whole seconds (whole minutes in practice): snap to the second.
        return new DateTimeOffset(hi.UtcTicks - hi.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }
}
