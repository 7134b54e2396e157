namespace CoachFunctions.Coaching.Detectors;

/// <summary>What the detectors may look at for one user: no storage, no hosting, just facts.</summary>
public sealed record UserSnapshot(
    string UserId,
    UserPreferences Preferences,
    IReadOnlyList<Habit> Habits,
    IReadOnlyDictionary<string, IReadOnlySet<DateOnly>> CompletionsByHabit,
    DateTimeOffset? LastConversationAt)
{
    public IReadOnlySet<DateOnly> CompletionsOf(string habitId) =>
        CompletionsByHabit.TryGetValue(habitId, out var days) ? days : new HashSet<DateOnly>();
}
