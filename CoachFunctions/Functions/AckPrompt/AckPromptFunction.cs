using Microsoft.Azure.Functions.Worker;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;

namespace CoachFunctions.Functions.AckPrompt;

/// <summary><c>delivered</c>: the client has it; <c>seen</c>: the user has seen it (which implies delivered).</summary>
public sealed record AckRequest(string? Status);

/// <summary>
/// The client acknowledges delivery and display. Forward-only and idempotent: an acknowledgement
/// that would not move the prompt forward (already seen, already answered, dismissed, expired, or
/// scheduled and not out yet) changes nothing and answers 200 with the current state.
/// </summary>
public sealed class AckPromptFunction(PromptStore prompts, TimeProvider time, CoachMetrics metrics)
{
    private const int MaxAttempts = 3;

    [Function("AckPrompt")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "prompts/{id}/ack")] HttpRequest req, string id, CancellationToken ct)
    {
        var http = req.HttpContext;
        var (body, problem) = await JsonBody.ReadAsync<AckRequest>(http.Request, ct);
        if (problem is not null) return problem;
        if (body!.Status is not (PromptStates.Delivered or PromptStates.Seen))
            return Problems.Invalid("status", "status must be 'delivered' or 'seen'.");

        var userId = http.User.Id();
        if (!PromptIds.IsWellFormed(id)) return Problems.NotFound("The prompt");
        for (var attempt = 1; ; attempt++)
        {
            if (await prompts.GetAsync(userId, id, ct) is not var (prompt, etag)) return Problems.NotFound("The prompt");
            if (Rank(body.Status) <= Rank(prompt.State)) return Results.Ok(PromptView.From(prompt));
            var now = time.GetUtcNow();
            if (await prompts.TryAcknowledgeAsync(prompt, etag, body.Status, now, ct))
            {
                // Seen straight from pending implies delivered: both transitions count.
                if (prompt.DeliveredAt is null) metrics.PromptStateChanged(PromptStates.Delivered);
                if (body.Status == PromptStates.Seen) metrics.PromptStateChanged(PromptStates.Seen);
                return Results.Ok(PromptView.From(prompt with
                {
                    State = body.Status,
                    DeliveredAt = prompt.DeliveredAt ?? now,
                    SeenAt = body.Status == PromptStates.Seen ? prompt.SeenAt ?? now : prompt.SeenAt,
                }));
            }
            // Changed since read (delivered, answered meanwhile): read again and judge the new state.
            if (attempt == MaxAttempts) return Problems.Conflict("This prompt keeps changing; try again.");
        }
    }

    /// <summary>
    /// How far along the delivery path a state is. Only pending (pushed, not acknowledged) and
    /// delivered can move forward; a scheduled prompt is not out yet, and closed states are final.
    /// </summary>
    private static int Rank(string state) => state switch
    {
        PromptStates.Pending => 0,
        PromptStates.Delivered => 1,
        PromptStates.Seen => 2,
        _ => int.MaxValue,
    };
}
