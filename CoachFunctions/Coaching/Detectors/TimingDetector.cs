namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// Runs every rule for a user and keeps the best timings: enabled types only, ranked by priority
/// then confidence, at most <see cref="MaxPerScan"/> per user per scan.
/// </summary>
public sealed class TimingDetector(IEnumerable<IDetectionRule> rules)
{
    public const int MaxPerScan = 3;

    private readonly IReadOnlyList<IDetectionRule> _rules = rules.ToList();

    public static TimingDetector Default { get; } = new([new DailyCheckinRule(), new HabitMissedRule()]);

    public IReadOnlyList<Detection> Detect(UserSnapshot user, DateTimeOffset utcNow)
    {
        var clock = new LocalClock(utcNow, user.Preferences.Zone);
        return _rules
            .Where(rule => user.Preferences.IsEnabled(rule.Type))
            .SelectMany(rule => rule.Detect(user, clock))
            .OrderByDescending(d => d.Priority)
            .ThenByDescending(d => d.Confidence)
            .Take(MaxPerScan)
            .ToList();
    }
}
