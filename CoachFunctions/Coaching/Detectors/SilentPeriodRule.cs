namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// No activity at all for a week: a gentle re-engagement. Measured from the last activity, else from
/// when the coach first saw the user; with neither there is nothing to measure.
/// </summary>
public sealed class SilentPeriodRule : IDetectionRule
{
    public static readonly TimeSpan SilentAfter = TimeSpan.FromDays(7);

    public string Type => PromptTypes.SilentPeriod;

    public IEnumerable<Detection> Detect(UserSnapshot user, LocalClock clock)
    {
        if (LastActivity(user) is not { } last) yield break;
        var since = clock.UtcNow - last;
        if (since < SilentAfter) yield break;

        yield return new Detection(user.UserId, Type, Priority.Low, 0.6,
            new DetectionFacts { LocalDate = clock.Today.ToString("yyyy-MM-dd"), DaysSince = (int)since.TotalDays },
            $"{Type}:{clock.DateOf(last):yyyy-MM-dd}", clock.UtcNow);
    }

    public IEnumerable<DateTimeOffset> Wakeups(UserSnapshot user, LocalClock clock)
    {
        if (LastActivity(user) is { } last && last + SilentAfter > clock.UtcNow) yield return last + SilentAfter;
    }

    private static DateTimeOffset? LastActivity(UserSnapshot user) => user.LastActivityAt ?? user.FirstSeenAt;
}
