using CoachFunctions.Coaching.Responses;

namespace CoachFunctions.Coaching;

/// <summary>
/// What a habit list shows next to each habit: its current streak and the days it was done
/// recently, both on the user's local calendar.
/// </summary>
public sealed record HabitProgress(int Streak, IReadOnlyList<DateOnly> RecentCompletions)
{
    /// <summary>How far back <see cref="RecentCompletions"/> goes: four weeks, today included.</summary>
    public const int RecentDays = 28;

    /// <summary>The oldest completion date <see cref="Of"/> can use: older ones change neither figure.</summary>
    public static DateOnly Floor(DateOnly today) => today.AddDays(-Streaks.MaxDays);

    /// <summary>
    /// The streak as the respond route counts it (<see cref="Streaks.Current"/>), and the completed
    /// dates of the last <see cref="RecentDays"/> days, oldest first (a client draws them as a strip).
    /// A back-filled date in that window counts like any other; a date after today (a zone change
    /// moved the user's calendar back) is not "recent" yet.
    /// </summary>
    public static HabitProgress Of(Habit habit, IReadOnlySet<DateOnly> done, DateOnly today)
    {
        var from = today.AddDays(-(RecentDays - 1));
        return new HabitProgress(Streaks.Current(habit, done, today), done.Where(d => d >= from && d <= today).Order().ToList());
    }
}
