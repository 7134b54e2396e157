using CoachFunctions.Api;
using CoachFunctions.Functions.PromptFeedback;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.LearnedPreferences;

/// <summary>Resets what the coach learned from feedback: the style and rules go, and older feedback no longer counts.</summary>
public static class LearnedPreferencesEndpoint
{
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) => api.MapDelete("/preferences/learned", async (HttpContext http,
        UserDataStore store, TimeProvider time, CancellationToken ct) =>
    {
        await FeedbackLearner.ResetAsync(store, http.User.Id(), time.GetUtcNow(), ct);
        return Results.NoContent();
    }).WithName("ResetLearned");
}
