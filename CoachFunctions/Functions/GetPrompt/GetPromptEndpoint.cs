using CoachFunctions.Api;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.GetPrompt;

/// <summary>One of the caller's prompts; anyone else's is simply not found.</summary>
public static class GetPromptEndpoint
{
    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/prompts/{id}", async (string id, HttpContext http, PromptStore store, CancellationToken ct) =>
    {
        if (!PromptIds.IsWellFormed(id)) return Problems.NotFound("The prompt");
        var found = await store.GetAsync(http.User.Id(), id, ct);
        return found is { } p ? Results.Ok(PromptView.From(p.Prompt)) : Problems.NotFound("The prompt");
    }).WithName("GetPrompt");
}
