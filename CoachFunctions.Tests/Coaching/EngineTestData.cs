using System.Globalization;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Tests.Coaching;

/// <summary>Small builders for engine tests: instants are written with explicit offsets so the expected values never come from the code under test.</summary>
internal static class EngineTestData
{
    public const string Shanghai = "Asia/Shanghai";
    public const string NewYork = "America/New_York";
    public const string Berlin = "Europe/Berlin";
    public const string Utc = "UTC";

    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    public static DateOnly Day(string iso) => DateOnly.Parse(iso, CultureInfo.InvariantCulture);

    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    public static LocalClock Clock(string zone, DateTimeOffset now) => new(now, Zone(zone));

    public static UserSnapshot User(string zone, params string[] enabled) => new()
    {
        UserId = "u1",
        Preferences = new UserPreferences { TimeZone = zone, EnabledTypes = enabled.Length == 0 ? PromptTypes.EnabledByDefault : enabled },
    };

    public static UserSnapshot AllTypes(string zone) => User(zone, [.. PromptTypes.All]);

    public static Habit Daily(string id, DateOnly start, int? goal = null) =>
        new(id, id == "h1" ? "Read" : "Run", HabitSchedule.Daily, start, true, DateTimeOffset.MinValue, goal);

    /// <summary>Completed on every day from <paramref name="from"/> through <paramref name="to"/>.</summary>
    public static HashSet<DateOnly> Days(DateOnly from, DateOnly to)
    {
        var days = new HashSet<DateOnly>();
        for (var d = from; d <= to; d = d.AddDays(1)) days.Add(d);
        return days;
    }

    public static UserSnapshot WithHistory(this UserSnapshot user, Habit habit, IReadOnlySet<DateOnly> days, int? total = null,
        IReadOnlyDictionary<DateOnly, int>? minutes = null) => user with
    {
        Habits = [.. user.Habits, habit],
        History = new Dictionary<string, HabitHistory>(user.History)
        {
            [habit.Id] = new(days, minutes ?? new Dictionary<DateOnly, int>(), total ?? days.Count),
        },
    };

    public static UserSnapshot WithPrefs(this UserSnapshot user, Func<UserPreferences, UserPreferences> change) =>
        user with { Preferences = change(user.Preferences) };

    public static UserSnapshot WithPrompts(this UserSnapshot user, params PromptRecord[] prompts) =>
        user with { RecentPrompts = [.. prompts.OrderByDescending(p => p.At)] };

    private static int _ids;

    public static PromptRecord Prompt(string type, DateTimeOffset at, string state = PromptStates.Delivered, string? habitId = null,
        Priority priority = Priority.Medium, string? key = null) =>
        new($"p{Interlocked.Increment(ref _ids)}", type, priority, habitId, key ?? $"{type}:test:{Interlocked.Increment(ref _ids)}", at, state);

    public static Detection Detection(string type, DateTimeOffset at, string zone, Priority? priority = null, string? habitId = null, string? key = null)
    {
        var localDate = LocalClock.DateOf(at, Zone(zone)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new("u1", type, priority ?? (type is PromptTypes.DailyCheckin or PromptTypes.MilestoneReached ? Priority.High : Priority.Medium),
            0.8, new DetectionFacts { LocalDate = localDate, HabitId = habitId }, key ?? $"{type}:{habitId}:{localDate}", at);
    }
}
