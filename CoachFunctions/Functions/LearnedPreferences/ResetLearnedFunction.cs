using Microsoft.Azure.Functions.Worker;
using CoachFunctions.Api;
using CoachFunctions.Functions.PromptFeedback;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.LearnedPreferences;

/// <summary>Resets what the coach learned from feedback: the style and rules go, and older feedback no longer counts.</summary>
public sealed class ResetLearnedFunction(UserDataStore store, TimeProvider time)
{
    [Function("ResetLearned")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "preferences/learned")] HttpRequest req, CancellationToken ct)
    {
        var http = req.HttpContext;
        await FeedbackLearner.ResetAsync(store, http.User.Id(), time.GetUtcNow(), ct);
        return Results.NoContent();
    }
}
