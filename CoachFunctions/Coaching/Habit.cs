namespace CoachFunctions.Coaching;

/// <summary>
/// A habit the user is building. Dates are the user's local calendar dates. A paused habit
/// (<see cref="Active"/> false) is kept but never nudged. <see cref="GoalDays"/>, when set, is the
/// number of completions that counts as reaching the goal.
/// </summary>
public sealed record Habit(string Id, string Name, HabitSchedule Schedule, DateOnly StartDate, bool Active, DateTimeOffset CreatedAt, int? GoalDays = null)
{
    public bool IsDueOn(DateOnly day) => Active && day >= StartDate && Schedule.IsDueOn(day);
}

/// <summary>Which local days a habit is due: every day, or only the listed weekdays.</summary>
public sealed record HabitSchedule(IReadOnlyList<DayOfWeek> DaysOfWeek)
{
    public static readonly HabitSchedule Daily = new([]);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsDaily => DaysOfWeek.Count == 0;

    public bool IsDueOn(DateOnly day) => IsDaily || DaysOfWeek.Contains(day.DayOfWeek);
}
