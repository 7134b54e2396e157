using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.Habits;

/// <summary>A new habit: a name, an optional start date (local, yyyy-MM-dd), optional weekdays (default: daily) and an optional goal (completions).</summary>
public sealed record CreateHabitRequest(string? Name, string? StartDate, IReadOnlyList<string>? DaysOfWeek, int? GoalDays);

public sealed record HabitView(string Id, string Name, string StartDate, IReadOnlyList<string> DaysOfWeek, bool Active, int? GoalDays, DateTimeOffset CreatedAt)
{
    public static HabitView From(Habit h) => new(h.Id, h.Name, h.StartDate.ToString("yyyy-MM-dd"),
        h.Schedule.DaysOfWeek.Select(InputRules.WeekdayName).ToList(), h.Active, h.GoalDays, h.CreatedAt);
}

/// <summary>
/// A habit in the list: its fields, its current <see cref="Streak"/> (consecutive scheduled days
/// done, ending today or yesterday) and <see cref="RecentCompletions"/> (the local yyyy-MM-dd dates
/// it was done in the last 28 days, today included, oldest first).
/// </summary>
public sealed record HabitListItem(string Id, string Name, string StartDate, IReadOnlyList<string> DaysOfWeek, bool Active, int? GoalDays, DateTimeOffset CreatedAt,
    int Streak, IReadOnlyList<string> RecentCompletions)
{
    public static HabitListItem From(Habit h, HabitProgress progress)
    {
        var v = HabitView.From(h);
        return new(v.Id, v.Name, v.StartDate, v.DaysOfWeek, v.Active, v.GoalDays, v.CreatedAt, progress.Streak,
            progress.RecentCompletions.Select(d => d.ToString("yyyy-MM-dd")).ToList());
    }
}

/// <summary>Habit ids: 32 lowercase hex digits (a GUID's "N" form).</summary>
public static class HabitIds
{
    public static bool IsWellFormed(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);
}

/// <summary>The rules for a habit's fields, shared by create and edit.</summary>
public static class HabitInput
{
    public const int MaxNameLength = 100;
    public static readonly (int Min, int Max) GoalRange = (1, 1000);

    public static string? Name(string? value, Dictionary<string, string[]> errors)
    {
        if (value is not null && InputRules.TryCleanDisplayText(value, MaxNameLength, allowNewlines: false, out var name) && name.Length > 0) return name;
        errors["name"] = [$"name must be 1 to {MaxNameLength} characters, at least one of them visible, without control characters."];
        return null;
    }

    public static DateOnly StartDate(string value, DateOnly today, Dictionary<string, string[]> errors)
    {
        if (InputRules.TryParseDate(value, out var start) && start >= today.AddYears(-5) && start <= today.AddYears(1)) return start;
        errors["startDate"] = ["startDate must be a yyyy-MM-dd date within five years before and one year after today."];
        return today;
    }

    public static List<DayOfWeek> Days(IReadOnlyList<string> values, Dictionary<string, string[]> errors)
    {
        var days = new List<DayOfWeek>();
        foreach (var value in values)
        {
            if (!InputRules.TryParseWeekday(value, out var day))
            {
                errors["daysOfWeek"] = ["daysOfWeek lists weekday names such as monday, wednesday."];
                return [];
            }
            if (!days.Contains(day)) days.Add(day);
        }
        return days;
    }

    public static int? Goal(int? value, Dictionary<string, string[]> errors)
    {
        if (value is null or >= 1 and <= 1000) return value;
        errors["goalDays"] = [$"goalDays must be a whole number from {GoalRange.Min} to {GoalRange.Max}."];
        return null;
    }
}
