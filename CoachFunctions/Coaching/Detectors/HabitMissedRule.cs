namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// An active habit with two or more consecutive missed scheduled days. Today does not count as
/// missed (the day is not over), and a completion today ends the run.
/// </summary>
public sealed class HabitMissedRule : IDetectionRule
{
    public const int MinimumMissedDays = 2;

    /// <summary>How far back a run of misses or a streak is counted; older history changes nothing here.</summary>
    public const int LookbackDays = 120;

    public string Type => PromptTypes.HabitMissed;

    public IEnumerable<Detection> Detect(UserSnapshot user, LocalClock clock)
    {
        var today = clock.Today;
        foreach (var habit in user.Habits.Where(h => h.Active))
        {
            var done = user.CompletionsOf(habit.Id);
            if (done.Contains(today)) continue;

            var (missed, streakBefore) = CountMissedRun(habit, done, today);
            if (missed < MinimumMissedDays) continue;

            yield return new Detection(
                user.UserId,
                Type,
                Priority.Medium,
                0.8,
                new DetectionFacts
                {
                    LocalDate = today.ToString("yyyy-MM-dd"),
                    HabitId = habit.Id,
                    HabitName = habit.Name,
                    MissedDays = missed,
                    StreakBefore = streakBefore,
                },
                $"{Type}:{habit.Id}:{today:yyyy-MM-dd}",
                clock.UtcNow);
        }
    }

    /// <summary>A new local day makes yesterday a missed day: look again at local midnight.</summary>
    public IEnumerable<DateTimeOffset> Wakeups(UserSnapshot user, LocalClock clock)
    {
        if (user.Habits.Any(h => h.Active)) yield return clock.NextMidnight;
    }

    /// <summary>Counts scheduled days missed back from yesterday, then the completed streak before them.</summary>
    internal static (int Missed, int StreakBefore) CountMissedRun(Habit habit, IReadOnlySet<DateOnly> done, DateOnly today)
    {
        int missed = 0, streak = 0;
        var day = today.AddDays(-1);
        var floor = today.AddDays(-LookbackDays);
        for (; day >= habit.StartDate && day >= floor; day = day.AddDays(-1))
        {
            if (!habit.Schedule.IsDueOn(day)) continue;
            if (done.Contains(day)) break;
            missed++;
        }
        for (; day >= habit.StartDate && day >= floor; day = day.AddDays(-1))
        {
            if (!habit.Schedule.IsDueOn(day)) continue;
            if (!done.Contains(day)) break;
            streak++;
        }
        return (missed, streak);
    }
}
