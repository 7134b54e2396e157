namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// Habits to work on but no progress of any kind for three days. A newcomer's clock starts when the
/// coach first saw them; with neither date there is nothing to measure and the rule stays silent.
/// </summary>
public sealed class ProgressStalledRule : IDetectionRule
{
    public static readonly TimeSpan StallAfter = TimeSpan.FromHours(72);

    public string Type => PromptTypes.ProgressStalled;

    public IEnumerable<Detection> Detect(UserSnapshot user, LocalClock clock)
    {
        if (LastProgress(user) is not { } last) yield break;
        var since = clock.UtcNow - last;
        if (since < StallAfter) yield break;

        // One prompt per stall: the key names the day the progress stopped, not today.
        yield return new Detection(user.UserId, Type, Priority.Medium, 0.7,
            new DetectionFacts { LocalDate = clock.Today.ToString("yyyy-MM-dd"), DaysSince = (int)since.TotalDays },
            $"{Type}:{clock.DateOf(last):yyyy-MM-dd}", clock.UtcNow);
    }

    public IEnumerable<DateTimeOffset> Wakeups(UserSnapshot user, LocalClock clock)
    {
        if (LastProgress(user) is { } last && last + StallAfter > clock.UtcNow) yield return last + StallAfter;
    }

    private static DateTimeOffset? LastProgress(UserSnapshot user) =>
        user.Habits.Any(h => h.Active) ? user.LastProgressAt ?? user.FirstSeenAt : null;
}
