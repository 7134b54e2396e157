using Microsoft.Azure.Functions.Worker;
using CoachFunctions.Api;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.GetPrompt;

/// <summary>One of the caller's prompts; anyone else's is simply not found.</summary>
public sealed class GetPromptFunction(PromptStore store)
{
    [Function("GetPrompt")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "prompts/{id}")] HttpRequest req, string id, CancellationToken ct)
    {
        var http = req.HttpContext;
        if (!PromptIds.IsWellFormed(id)) return Problems.NotFound("The prompt");
        var found = await store.GetAsync(http.User.Id(), id, ct);
        return found is { } p ? Results.Ok(PromptView.From(p.Prompt)) : Problems.NotFound("The prompt");
    }
}
