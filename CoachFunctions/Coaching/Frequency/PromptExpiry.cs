using System.Globalization;
using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Coaching.Frequency;

/// <summary>
/// When a prompt goes stale (spec §2): day-bound moments at the next local midnight, the weekly review
/// when its week ends, celebrations and context after two days, a re-engagement after a week.
/// </summary>
public static class PromptExpiry
{
    public static readonly TimeSpan EventLifetime = TimeSpan.FromHours(48);
    public static readonly TimeSpan SilentLifetime = TimeSpan.FromDays(7);

    public static DateTimeOffset For(Detection detection, TimeZoneInfo zone)
    {
        var localDate = LocalDateOf(detection, zone);
        return detection.Type switch
        {
            PromptTypes.WeeklyReview => LocalClock.ToInstant(zone, LocalClock.WeekStart(localDate).AddDays(7), TimeOnly.MinValue),
            PromptTypes.MilestoneReached or PromptTypes.ContextChange => detection.DetectedAt + EventLifetime,
            PromptTypes.SilentPeriod => detection.DetectedAt + SilentLifetime,
            // daily_checkin, habit_missed, progress_stalled, pattern_change and anything new: the day it belongs to.
            _ => LocalClock.ToInstant(zone, localDate.AddDays(1), TimeOnly.MinValue),
        };
    }

    /// <summary>The detector's local date when it recorded one, else the detection instant's local date.</summary>
    private static DateOnly LocalDateOf(Detection detection, TimeZoneInfo zone) =>
        DateOnly.TryParseExact(detection.Facts.LocalDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : LocalClock.DateOf(detection.DetectedAt, zone);
}
