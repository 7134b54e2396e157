using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Storage.Tables;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.Habits;

/// <summary>Creates a habit for the caller: a name, an optional start date, optional weekdays (default daily) and goal.</summary>
public sealed class CreateHabitFunction(UserDataStore store, TimeProvider time)
{
    [Function("CreateHabit")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "habits")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateHabitRequest>(req, ct);
        if (problem is not null) return problem;

        var userId = req.HttpContext.User.Id();
        var now = time.GetUtcNow();
        var today = new LocalClock(now, (await store.GetPreferencesAsync(userId, ct)).Zone).Today;
        var errors = new Dictionary<string, string[]>();
        var name = HabitInput.Name(body!.Name, errors);
        var start = body.StartDate is null ? today : HabitInput.StartDate(body.StartDate, today, errors);
        var days = HabitInput.Days(body.DaysOfWeek ?? [], errors);
        var goal = HabitInput.Goal(body.GoalDays, errors);
        if (errors.Count > 0) return Problems.BadRequest("The habit is invalid.", errors);

        var habit = new Habit(Guid.NewGuid().ToString("N"), name!, new HabitSchedule(days), start, true, now, goal);
        await store.AddHabitAsync(userId, habit, ct);
        return Results.Created($"/api/habits/{habit.Id}", HabitView.From(habit));
    }
}
