namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// No conversation with the coach today (local date) while the user is in their active hours,
/// which run from their preferred check-in time until <see cref="ActiveUntil"/>.
/// </summary>
public sealed class DailyCheckinRule : IDetectionRule
{
    /// <summary>Late evening: a check-in after this would land at bedtime, whatever the quiet hours say.</summary>
    public static readonly TimeOnly ActiveUntil = new(21, 0);

    public string Type => PromptTypes.DailyCheckin;

    public IEnumerable<Detection> Detect(UserSnapshot user, LocalClock clock)
    {
        var now = clock.TimeOfDay;
        var from = user.Preferences.PreferredTime;
        if (now < from || now >= ActiveUntil) yield break;

        if (user.LastConversationAt is { } last && clock.DateOf(last) == clock.Today) yield break;

        var today = clock.Today.ToString("yyyy-MM-dd");
        yield return new Detection(
            user.UserId,
            Type,
            Priority.High,
            0.9,
            new DetectionFacts { LocalDate = today },
            $"{Type}:{today}",
            clock.UtcNow);
    }
}
