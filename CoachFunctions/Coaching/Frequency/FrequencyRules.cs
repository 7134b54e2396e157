using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Coaching.Frequency;

/// <summary>
/// The limits of spec §2 in the order they are checked; the first that fails names the suppression
/// and the earliest moment it could pass (null when only new data, such as responses, can change it).
/// <c>t</c> is the effective delivery time; <c>counted</c> the prompts that went or go out.
/// </summary>
internal static class FrequencyRules
{
    public const int ResponseWindow = 10;
    public const int MinimumForResponseRate = 5;
    public const double MinimumResponseRate = 0.3;
    public static readonly TimeSpan ResponseGrace = TimeSpan.FromHours(1);
    public static readonly TimeSpan SilentPeriodGap = TimeSpan.FromDays(7);

    public readonly record struct Failure(string Reason, DateTimeOffset? RetryAt);

    public static Failure? FirstFailure(Detection detection, UserPreferences preferences, IReadOnlyList<PromptRecord> counted, LocalClock clock, DateTimeOffset t) =>
        TypeLimit(detection, counted, clock, t)
        ?? HabitLimit(detection, counted, clock, t)
        ?? LowResponseRate(detection, counted, clock.UtcNow)
        ?? DailyLimit(preferences, counted, clock, t)
        ?? HourlyLimit(preferences, counted, t)
        ?? MinInterval(preferences, counted, t);

    private static Failure? TypeLimit(Detection detection, IReadOnlyList<PromptRecord> counted, LocalClock clock, DateTimeOffset t)
    {
        var sameType = counted.Where(p => p.Type == detection.Type).ToList();
        var day = clock.DateOf(t);
        switch (detection.Type)
        {
            case PromptTypes.DailyCheckin when sameType.Any(p => clock.DateOf(p.At) == day):
                return new(SuppressionReasons.TypeLimit, clock.NextMidnightAfter(t));
            case PromptTypes.WeeklyReview when sameType.Any(p => LocalClock.WeekStart(clock.DateOf(p.At)) == LocalClock.WeekStart(day)):
                return new(SuppressionReasons.TypeLimit, clock.ToInstant(LocalClock.WeekStart(day).AddDays(7), TimeOnly.MinValue));
            case PromptTypes.SilentPeriod:
                // Also counts one scheduled after t: "at most weekly" either way round.
                var recent = sameType.Where(p => p.At > t - SilentPeriodGap).ToList();
                return recent.Count == 0 ? null : new(SuppressionReasons.TypeLimit, recent.Max(p => p.At) + SilentPeriodGap);
            default:
                return null;
        }
    }

    private static Failure? HabitLimit(Detection detection, IReadOnlyList<PromptRecord> counted, LocalClock clock, DateTimeOffset t)
    {
        if (detection.Type is not (PromptTypes.HabitMissed or PromptTypes.PatternChange) || detection.Facts.HabitId is not { } habitId) return null;
        var day = clock.DateOf(t);
        return counted.Any(p => p.Type is PromptTypes.HabitMissed or PromptTypes.PatternChange && p.HabitId == habitId && clock.DateOf(p.At) == day)
            ? new(SuppressionReasons.HabitLimit, clock.NextMidnightAfter(t))
            : null;
    }

    /// <summary>
    /// Judged on prompts out for at least an hour (a fresh one has had no chance to be answered);
    /// high priority always passes. Only responses change it, so there is no retry time.
    /// </summary>
    private static Failure? LowResponseRate(Detection detection, IReadOnlyList<PromptRecord> counted, DateTimeOffset now)
    {
        if (detection.Priority == Priority.High) return null;
        var judged = counted.Where(p => p.At <= now - ResponseGrace).OrderByDescending(p => p.At).Take(ResponseWindow).ToList();
        if (judged.Count < MinimumForResponseRate) return null;
        var rate = (double)judged.Count(p => p.State == PromptStates.Responded) / judged.Count;
        return rate < MinimumResponseRate ? new(SuppressionReasons.LowResponseRate, null) : null;
    }

    private static Failure? DailyLimit(UserPreferences preferences, IReadOnlyList<PromptRecord> counted, LocalClock clock, DateTimeOffset t)
    {
        var day = clock.DateOf(t);
        return counted.Count(p => clock.DateOf(p.At) == day) >= preferences.MaxPerDay
            ? new(SuppressionReasons.DailyLimit, clock.NextMidnightAfter(t))
            : null;
    }

    private static Failure? HourlyLimit(UserPreferences preferences, IReadOnlyList<PromptRecord> counted, DateTimeOffset t)
    {
        var window = counted.Where(p => p.At > t - TimeSpan.FromHours(1) && p.At <= t).ToList();
        return window.Count >= preferences.MaxPerHour && window.Count > 0
            ? new(SuppressionReasons.HourlyLimit, window.Min(p => p.At) + TimeSpan.FromHours(1))
            : null;
    }

    private static Failure? MinInterval(UserPreferences preferences, IReadOnlyList<PromptRecord> counted, DateTimeOffset t)
    {
        var interval = TimeSpan.FromMinutes(preferences.MinIntervalMinutes);
        var close = counted.Where(p => (p.At - t).Duration() < interval).ToList();
        return close.Count == 0 ? null : new(SuppressionReasons.MinInterval, close.Max(p => p.At) + interval);
    }
}
