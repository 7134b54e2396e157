using CoachFunctions.Api;
using CoachFunctions.Storage.Tables;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.Habits;

/// <summary>The caller's habits.</summary>
public sealed class ListHabitsFunction(UserDataStore store)
{
    [Function("ListHabits")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "habits")] HttpRequest req, CancellationToken ct) =>
        Results.Ok(new { items = (await store.ListHabitsAsync(req.HttpContext.User.Id(), ct)).Select(HabitView.From) });
}
