using CoachFunctions.Api;
using CoachFunctions.Functions.Habits;
using CoachFunctions.Storage.Tables;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.EditHabit;

/// <summary>
/// Deletes one of the caller's habits, guarded by <c>If-Match</c> like an edit; its completions
/// stay as history.
/// </summary>
public sealed class DeleteHabitFunction(UserDataStore store)
{
    [Function("DeleteHabit")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "habits/{id}")] HttpRequest req, string id, CancellationToken ct)
    {
        var http = req.HttpContext;
        var userId = http.User.Id();
        if (!HabitIds.IsWellFormed(id) || await store.GetHabitAsync(userId, id, ct) is not var (_, etag))
            return Problems.NotFound("The habit");
        if (IfMatch.Fails(http.Request, etag)) return Problems.PreconditionFailed("The habit changed since you read it; reload it and try again.");
        if (!await store.TryDeleteHabitAsync(userId, id, etag, ct))
            return Problems.Conflict("The habit changed while you deleted it; reload it and try again.");
        return Results.NoContent();
    }
}
