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
}
