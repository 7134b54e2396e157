namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// Runs every enabled rule for a user and ranks what they see by priority then confidence (rule
/// order breaks ties, so the answer is stable). Disabled types are not run at all.
/// </summary>
public sealed class TimingDetector(IEnumerable<IDetectionRule> rules)
{
    public const int MaxPerScan = 3;

    private readonly IReadOnlyList<IDetectionRule> _rules = rules.ToList();

    public static TimingDetector Default { get; } = new(
    [
        new DailyCheckinRule(), new HabitMissedRule(), new ProgressStalledRule(), new WeeklyReviewRule(),
        new MilestoneReachedRule(), new SilentPeriodRule(), new PatternChangeRule(), new ContextChangeRule(),
    ]);

    public IReadOnlyList<IDetectionRule> Rules => _rules;

    /// <summary>The best <see cref="MaxPerScan"/> timings, before frequency control (the engine applies that).</summary>
    public IReadOnlyList<Detection> Detect(UserSnapshot user, DateTimeOffset utcNow) =>
        Candidates(user, utcNow).Take(MaxPerScan).ToList();

    /// <summary>Every timing the enabled rules see, ranked.</summary>
    public IReadOnlyList<Detection> Candidates(UserSnapshot user, DateTimeOffset utcNow)
    {
        var clock = new LocalClock(utcNow, user.Preferences.Zone);
        return Enabled(user)
            .SelectMany(rule => rule.Detect(user, clock))
            .OrderByDescending(d => d.Priority)
            .ThenByDescending(d => d.Confidence)
            .ToList();
    }

    /// <summary>When the enabled rules' answers could next change with time alone.</summary>
    public IEnumerable<DateTimeOffset> Wakeups(UserSnapshot user, DateTimeOffset utcNow)
    {
        var clock = new LocalClock(utcNow, user.Preferences.Zone);
        return Enabled(user).SelectMany(rule => rule.Wakeups(user, clock)).Where(at => at > utcNow);
    }

    private IEnumerable<IDetectionRule> Enabled(UserSnapshot user) => _rules.Where(rule => user.Preferences.IsEnabled(rule.Type));
}
