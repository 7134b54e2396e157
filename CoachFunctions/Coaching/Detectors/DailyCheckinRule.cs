namespace CoachFunctions.Coaching.Detectors;

/// <summary>No conversation with the coach today (local date) while the user is in their active hours.</summary>
public sealed class DailyCheckinRule : IDetectionRule
{
    public string Type => PromptTypes.DailyCheckin;

    public IEnumerable<Detection> Detect(UserSnapshot user, LocalClock clock)
    {
        if (!ActiveHours.For(user).Contains(clock.TimeOfDay)) yield break;
        if (TalkedToday(user, clock)) yield break;

        var today = clock.Today.ToString("yyyy-MM-dd");
        yield return new Detection(user.UserId, Type, Priority.High, 0.9,
            new DetectionFacts { LocalDate = today }, $"{Type}:{today}", clock.UtcNow);
    }

    /// <summary>The next start of active hours: today's while it is ahead and still useful, else tomorrow's.</summary>
    public IEnumerable<DateTimeOffset> Wakeups(UserSnapshot user, LocalClock clock)
    {
        var from = ActiveHours.For(user).From;
        var today = clock.ToInstant(clock.Today, from);
        yield return today > clock.UtcNow && !TalkedToday(user, clock) ? today : clock.ToInstant(clock.Today.AddDays(1), from);
    }

    private static bool TalkedToday(UserSnapshot user, LocalClock clock) =>
        user.LastConversationAt is { } last && clock.DateOf(last) == clock.Today;
}
