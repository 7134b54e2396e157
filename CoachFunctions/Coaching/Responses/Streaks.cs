namespace CoachFunctions.Coaching.Responses;

/// <summary>Streak arithmetic on local dates. Days a habit is not scheduled neither count nor break a streak.</summary>
public static class Streaks
{
    /// <summary>Far enough for any milestone; bounds the walk for habits without a start date (and what a reader must load).</summary>
    public const int MaxDays = 1000;

    /// <summary>
    /// Consecutive scheduled days done, ending today (or yesterday when today is not done yet: the
    /// day is not over). Without the habit (deleted), every calendar day counts as scheduled.
    /// </summary>
    public static int Current(Habit? habit, IReadOnlySet<DateOnly> done, DateOnly today)
    {
        var streak = 0;
        for (var i = 0; i < MaxDays; i++)
        {
            var day = today.AddDays(-i);
            if (habit is not null && day < habit.StartDate) break;
            var scheduled = habit is null || habit.Schedule.IsDueOn(day);
            if (done.Contains(day)) streak++;
            else if (scheduled && day != today) break;
        }
        return streak;
    }
}
