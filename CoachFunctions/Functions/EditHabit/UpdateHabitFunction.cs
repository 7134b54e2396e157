using Azure;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Functions.Habits;
using CoachFunctions.Storage.Tables;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.EditHabit;

/// <summary>A partial edit: only the fields sent change. <c>active</c> false pauses the habit, true resumes it.</summary>
public sealed record UpdateHabitRequest(string? Name, IReadOnlyList<string>? DaysOfWeek, string? StartDate, bool? Active, int? GoalDays);

/// <summary>
/// Edits, pauses or resumes one of the caller's habits. The write is guarded by the ETag the habit
/// was read with: a client may send <c>If-Match</c> (the ETag a previous answer gave it; 412 when
/// the habit changed since), and a change landing between our read and write is 409.
/// </summary>
public sealed class UpdateHabitFunction(UserDataStore store, TimeProvider time)
{
    [Function("UpdateHabit")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "habits/{id}")] HttpRequest req, string id, CancellationToken ct)
    {
        var http = req.HttpContext;
        var (read, problem) = await JsonBody.ReadAsync<UpdateHabitRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var body = read!;
        if (body is { Name: null, DaysOfWeek: null, StartDate: null, Active: null, GoalDays: null })
            return Problems.BadRequest("Nothing to change: send one or more of name, daysOfWeek, startDate, active, goalDays.");

        var userId = http.User.Id();
        var today = new LocalClock(time.GetUtcNow(), (await store.GetPreferencesAsync(userId, ct)).Zone).Today;
        var errors = new Dictionary<string, string[]>();
        var name = body.Name is null ? null : HabitInput.Name(body.Name, errors);
        DateOnly? start = body.StartDate is null ? null : HabitInput.StartDate(body.StartDate, today, errors);
        var days = body.DaysOfWeek is null ? null : HabitInput.Days(body.DaysOfWeek, errors);
        var goal = HabitInput.Goal(body.GoalDays, errors);
        if (errors.Count > 0) return Problems.BadRequest("The habit change is invalid.", errors);

        if (!HabitIds.IsWellFormed(id) || await store.GetHabitAsync(userId, id, ct) is not var (habit, etag))
            return Problems.NotFound("The habit");
        if (IfMatch.Fails(http.Request, etag)) return Problems.PreconditionFailed("The habit changed since you read it; reload it and try again.");

        var changed = habit with
        {
            Name = name ?? habit.Name,
            StartDate = start ?? habit.StartDate,
            Schedule = days is null ? habit.Schedule : new HabitSchedule(days),
            Active = body.Active ?? habit.Active,
            GoalDays = goal ?? habit.GoalDays,
        };
        if (!await store.TryUpdateHabitAsync(userId, changed, etag, ct))
            return Problems.Conflict("The habit changed while you edited it; reload it and try again.");
        if (await store.GetHabitAsync(userId, id, ct) is var (_, newTag)) http.Response.Headers.ETag = newTag.ToString("H");
        return Results.Ok(HabitView.From(changed));
    }
}
