using Microsoft.Azure.Functions.Worker;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;

namespace CoachFunctions.Functions.DismissPrompt;

/// <summary>
/// The user dismisses an open prompt: it is never delivered again and can no longer be answered.
/// Idempotent (dismissed, expired or failed: 204, nothing changes); an answered prompt cannot be
/// dismissed (409).
/// </summary>
public sealed class DismissPromptFunction(PromptStore prompts, TimeProvider time, CoachMetrics metrics)
{
    private const int MaxAttempts = 3;

    [Function("DismissPrompt")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "prompts/{id}")] HttpRequest req, string id, CancellationToken ct)
    {
        var http = req.HttpContext;
        var userId = http.User.Id();
        if (!PromptIds.IsWellFormed(id)) return Problems.NotFound("The prompt");
        for (var attempt = 1; ; attempt++)
        {
            if (await prompts.GetAsync(userId, id, ct) is not var (prompt, etag)) return Problems.NotFound("The prompt");
            if (prompt.State == PromptStates.Responded) return Problems.Conflict("This prompt was already answered and cannot be dismissed.");
            if (!PromptStates.IsOpen(prompt.State)) return Results.NoContent();
            if (await prompts.TrySetStateAsync(prompt, etag, PromptStates.Dismissed, "DismissedAt", time.GetUtcNow(), ct))
            {
                metrics.PromptStateChanged(PromptStates.Dismissed);
                return Results.NoContent();
            }
            if (attempt == MaxAttempts) return Problems.Conflict("This prompt keeps changing; try again.");
        }
    }
}
