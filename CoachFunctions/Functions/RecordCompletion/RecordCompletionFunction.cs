using Microsoft.Azure.Functions.Worker;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Responses;
using CoachFunctions.Functions.Habits;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.RecordCompletion;

/// <summary>The habit was done on <see cref="Date"/> (local yyyy-MM-dd; today when omitted).</summary>
public sealed record CompletionRequest(string? Date);

/// <summary>Records a completion for today or a past day: never the future, never twice a day.</summary>
public sealed class RecordCompletionFunction(UserDataStore store, TimeProvider time)
{
    [Function("RecordCompletion")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "habits/{id}/completions")] HttpRequest req, string id, CancellationToken ct)
    {
        var http = req.HttpContext;
        CompletionRequest request = new(null);
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var (body, problem) = await JsonBody.ReadAsync<CompletionRequest>(http.Request, ct);
            if (problem is not null) return problem;
            request = body!;
        }

        var userId = http.User.Id();
        if (!HabitIds.IsWellFormed(id) || await store.GetHabitAsync(userId, id, ct) is not var (habit, _))
            return Problems.NotFound("The habit");

        var now = time.GetUtcNow();
        var today = new LocalClock(now, (await store.GetPreferencesAsync(userId, ct)).Zone).Today;
        var day = today;
        if (request.Date is not null && !DateOnly.TryParseExact(request.Date, "yyyy-MM-dd", out day))
            return Problems.Invalid("date", "date must be a yyyy-MM-dd date.");
        if (day > today) return Problems.Invalid("date", "A completion cannot be in the future.");
        if (day < habit.StartDate) return Problems.Invalid("date", "The habit had not started on that date.");

        var completion = new HabitCompletion(habit.Id, day);
        if (!await store.TryAddCompletionAsync(userId, completion, now, ct))
            return Problems.Conflict($"This habit is already recorded as done on {day:yyyy-MM-dd}.");
        return Results.Created($"/api/habits/{habit.Id}/completions", new { habitId = habit.Id, date = day.ToString("yyyy-MM-dd") });
    }
}
