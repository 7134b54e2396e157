namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// The user's review day and time have come in this ISO week (Monday to Sunday, local). The week in
/// the key makes it once a week; frequency control's type limit backs that up.
/// </summary>
public sealed class WeeklyReviewRule : IDetectionRule
{
    public string Type => PromptTypes.WeeklyReview;

    public IEnumerable<Detection> Detect(UserSnapshot user, LocalClock clock)
    {
        if (clock.UtcNow < ReviewInstant(user, clock, LocalClock.WeekStart(clock.Today))) yield break;

        var week = LocalClock.IsoWeek(clock.Today);
        yield return new Detection(user.UserId, Type, Priority.Medium, 0.8,
            new DetectionFacts { LocalDate = clock.Today.ToString("yyyy-MM-dd"), Week = week },
            $"{Type}:{week}", clock.UtcNow);
    }

    public IEnumerable<DateTimeOffset> Wakeups(UserSnapshot user, LocalClock clock)
    {
        var monday = LocalClock.WeekStart(clock.Today);
        var thisWeek = ReviewInstant(user, clock, monday);
        yield return thisWeek > clock.UtcNow ? thisWeek : ReviewInstant(user, clock, monday.AddDays(7));
    }

    internal static DateTimeOffset ReviewInstant(UserSnapshot user, LocalClock clock, DateOnly monday) =>
        clock.ToInstant(monday.AddDays(((int)user.Preferences.ReviewDay + 6) % 7), user.Preferences.ReviewTime);
}
