using CoachFunctions.Api;
using CoachFunctions.Storage.Tables;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.Preferences;

/// <summary>Updates the caller's preferences; omitted fields keep their value, and nothing is saved unless every field is valid.</summary>
public sealed class PutPreferencesFunction(UserDataStore store)
{
    [Function("PutPreferences")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "preferences")] HttpRequest req, CancellationToken ct)
    {
        var (update, problem) = await JsonBody.ReadAsync<PreferencesUpdate>(req, ct);
        if (problem is not null) return problem;

        var userId = req.HttpContext.User.Id();
        var current = await store.GetPreferencesAsync(userId, ct);
        var (next, errors) = PreferencesRules.Apply(current, update!);
        if (errors.Count > 0) return Problems.BadRequest("Some preferences are invalid.", errors);

        await store.SavePreferencesAsync(userId, next, ct);
        return Results.Ok(PreferencesView.From(next, await store.GetLearnedAsync(userId, ct)));
    }
}
