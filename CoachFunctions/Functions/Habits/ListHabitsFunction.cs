using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Storage.Tables;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.Habits;

/// <summary>
/// The caller's habits, each with its current streak and the days it was done in the last four
/// weeks (the habits page's check-in strip, issue 10). Preferences (for the user's zone), habits and
/// completions are three queries sent together: the cost does not grow with the number of habits.
/// </summary>
public sealed class ListHabitsFunction(UserDataStore store, TimeProvider time)
{
    [Function("ListHabits")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "habits")] HttpRequest req, CancellationToken ct)
    {
        var userId = req.HttpContext.User.Id();
        var now = time.GetUtcNow();
        var preferences = store.GetPreferencesAsync(userId, ct);
        var habits = store.ListHabitsAsync(userId, ct);
        // The floor is a day before the earliest "today" any zone has now (UTC-12): what the streak walk
        // could reach whatever zone the preferences turn out to name, so this query need not wait for them.
        var completions = store.ListCompletionDatesAsync(userId, HabitProgress.Floor(DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1)), ct);
        await Task.WhenAll(preferences, habits, completions);

        var today = new LocalClock(now, (await preferences).Zone).Today;
        var done = await completions;
        return Results.Ok(new
        {
            items = (await habits).Select(h => HabitListItem.From(h, HabitProgress.Of(h, done.GetValueOrDefault(h.Id) ?? [], today))),
        });
    }
}
