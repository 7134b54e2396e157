namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// A habit's current streak (consecutive scheduled days completed, ending today when done today,
/// else at the last scheduled day before today) is exactly a milestone length, or its goal number
/// of completions was crossed today or yesterday. Completions trigger re-evaluation, so no wakeups.
/// </summary>
public sealed class MilestoneReachedRule : IDetectionRule
{
    public static readonly IReadOnlySet<int> Milestones = new HashSet<int> { 7, 21, 30, 66, 100, 200, 365 };

    public string Type => PromptTypes.MilestoneReached;

    public IEnumerable<Detection> Detect(UserSnapshot user, LocalClock clock)
    {
        var today = clock.Today;
        foreach (var habit in user.Habits.Where(h => h.Active))
        {
            var done = user.CompletionsOf(habit.Id);
            var facts = new DetectionFacts { LocalDate = today.ToString("yyyy-MM-dd"), HabitId = habit.Id, HabitName = habit.Name };

            var (streak, first) = CurrentStreak(habit, done, today);
            if (Milestones.Contains(streak))
                yield return new Detection(user.UserId, Type, Priority.High, 0.95, facts with { Streak = streak },
                    $"{Type}:{habit.Id}:{streak}:{first:yyyy-MM-dd}", clock.UtcNow);

            if (habit.GoalDays is { } goal && user.History.TryGetValue(habit.Id, out var history))
            {
                var recent = (done.Contains(today) ? 1 : 0) + (done.Contains(today.AddDays(-1)) ? 1 : 0);
                if (history.Total >= goal && goal > history.Total - recent)
                    yield return new Detection(user.UserId, Type, Priority.High, 0.95, facts with { GoalDays = goal },
                        $"{Type}:{habit.Id}:goal:{goal}", clock.UtcNow);
            }
        }
    }

    public IEnumerable<DateTimeOffset> Wakeups(UserSnapshot user, LocalClock clock) => [];

    /// <summary>The streak length and its first day; unscheduled days neither count nor break it.</summary>
    internal static (int Length, DateOnly First) CurrentStreak(Habit habit, IReadOnlySet<DateOnly> done, DateOnly today)
    {
        var day = done.Contains(today) ? today : today.AddDays(-1);
        var first = day;
        var length = 0;
        for (; day >= habit.StartDate; day = day.AddDays(-1))
        {
            if (!habit.Schedule.IsDueOn(day)) continue;
            if (!done.Contains(day)) break;
            length++;
            first = day;
        }
        return (length, first);
    }
}
