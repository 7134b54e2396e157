using CoachFunctions.Api;
using CoachFunctions.Storage.Tables;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.Preferences;

/// <summary>The caller's coaching preferences (defaults until set) and what was learned from feedback.</summary>
public sealed class GetPreferencesFunction(UserDataStore store)
{
    [Function("GetPreferences")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "preferences")] HttpRequest req, CancellationToken ct)
    {
        var userId = req.HttpContext.User.Id();
        return Results.Ok(PreferencesView.From(await store.GetPreferencesAsync(userId, ct), await store.GetLearnedAsync(userId, ct)));
    }
}
