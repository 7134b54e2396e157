namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// A moment worth a prompt, as it travels on the detections queue. <see cref="DedupeKey"/> names the
/// moment (for example <c>habit_missed:{habitId}:{localDate}</c>) so that repeated scans and redelivered
/// messages make one prompt at most.
/// </summary>
public sealed record Detection(
    string UserId,
    string Type,
    Priority Priority,
    double Confidence,
    DetectionFacts Facts,
    string DedupeKey,
    DateTimeOffset DetectedAt);

/// <summary>The facts a detector saw; they feed the prompt's wording and the response actions.</summary>
public sealed record DetectionFacts
{
    public string? LocalDate { get; init; }
    public string? HabitId { get; init; }
    public string? HabitName { get; init; }
    public int? MissedDays { get; init; }
    public int? StreakBefore { get; init; }

    /// <summary>milestone_reached: the streak length reached, or the goal (completions) reached.</summary>
    public int? Streak { get; init; }
    public int? GoalDays { get; init; }

    /// <summary>progress_stalled and silent_period: whole days since the last progress or activity.</summary>
    public int? DaysSince { get; init; }

    /// <summary>weekly_review: the ISO week, such as 2026-W47.</summary>
    public string? Week { get; init; }

    /// <summary>pattern_change: rate_drop or time_shift, with the numbers that showed it.</summary>
    public string? Pattern { get; init; }
    public double? BaselineRate { get; init; }
    public double? RecentRate { get; init; }
    public int? ShiftMinutes { get; init; }

    /// <summary>context_change: the reported event (kind such as travel or illness, and the user's note).</summary>
    public string? EventId { get; init; }
    public string? ContextKind { get; init; }
    public string? ContextNote { get; init; }
}
