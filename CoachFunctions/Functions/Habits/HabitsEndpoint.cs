using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.Habits;

/// <summary>A new habit: a name, an optional start date (local, yyyy-MM-dd) and optional weekdays (default: daily).</summary>
public sealed record CreateHabitRequest(string? Name, string? StartDate, IReadOnlyList<string>? DaysOfWeek);

public sealed record HabitView(string Id, string Name, string StartDate, IReadOnlyList<string> DaysOfWeek, bool Active, DateTimeOffset CreatedAt)
{
    public static HabitView From(Habit h) => new(h.Id, h.Name, h.StartDate.ToString("yyyy-MM-dd"),
        h.Schedule.DaysOfWeek.Select(d => d.ToString().ToLowerInvariant()).ToList(), h.Active, h.CreatedAt);
}

/// <summary>The caller's habits: list and create.</summary>
public static class HabitsEndpoint
{
    public const int MaxNameLength = 100;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/habits", async (HttpContext http, UserDataStore store, CancellationToken ct) =>
            Results.Ok(new { items = (await store.ListHabitsAsync(http.User.Id(), ct)).Select(HabitView.From) })).WithName("ListHabits");

        api.MapPost("/habits", async (HttpContext http, UserDataStore store, TimeProvider time, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<CreateHabitRequest>(http.Request, ct);
            if (problem is not null) return problem;

            var userId = http.User.Id();
            var now = time.GetUtcNow();
            var today = new LocalClock(now, (await store.GetPreferencesAsync(userId, ct)).Zone).Today;
            var errors = new Dictionary<string, string[]>();

            var name = body!.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
                errors["name"] = [$"name must be 1 to {MaxNameLength} characters, without control characters."];

            var start = today;
            if (body.StartDate is not null && (!DateOnly.TryParseExact(body.StartDate, "yyyy-MM-dd", out start)
                                               || start < today.AddYears(-5) || start > today.AddYears(1)))
                errors["startDate"] = ["startDate must be a yyyy-MM-dd date within five years before and one year after today."];

            var days = new List<DayOfWeek>();
            foreach (var day in body.DaysOfWeek ?? [])
            {
                if (day is null || !Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var d) || !Enum.IsDefined(d) || int.TryParse(day, out _))
                {
                    errors["daysOfWeek"] = ["daysOfWeek lists weekday names such as monday, wednesday."];
                    break;
                }
                if (!days.Contains(d)) days.Add(d);
            }
            if (errors.Count > 0) return Problems.BadRequest("The habit is invalid.", errors);

            var habit = new Habit(Guid.NewGuid().ToString("N"), name!, new HabitSchedule(days), start, true, now);
            await store.AddHabitAsync(userId, habit, ct);
            return Results.Created($"/api/habits/{habit.Id}", HabitView.From(habit));
        }).WithName("CreateHabit");
    }

    public static bool IsWellFormedId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);
}
