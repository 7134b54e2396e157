using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.Hosting;
using CoachFunctions.Hosting.Invocation;
using CoachFunctions.Coaching.Frequency;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;

namespace CoachFunctions.Functions.DeliverPrompt;

/// <summary>A SignalR output item: sent to every connection of <see cref="UserId"/> only.</summary>
public sealed record SignalRMessage(string Target, object[] Arguments, string? UserId = null);

/// <summary>
/// Queue: push a stored prompt to its user's connections (target <c>coachingPrompt</c>). A prompt
/// that went stale while it waited (quiet hours outlasted its type's expiry) becomes
/// <c>expired</c> and is never pushed; one that is not due yet waits again; answered or dismissed
/// prompts are not pushed again. Whether the client saw it is the client's to acknowledge, so an
/// offline user catches up from the prompt list.
/// </summary>
public sealed class DeliverPromptFunction(PromptStore prompts, DeliveryScheduler scheduler, CoachMetrics metrics, TimeProvider time) : IFunction
{
    public const string Target = "coachingPrompt";

    /// <summary>A queue message may surface a little early; within this it counts as on time.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(2);

    public string Name => "DeliverPrompt";

    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var delivery = request.Read<DeliveryRequest>("delivery");
        var result = new InvocationResult();
        var found = await prompts.GetAsync(delivery.UserId, delivery.PromptId, cancellationToken);
        if (found is not var (prompt, etag))
            return result.Log($"Prompt {delivery.PromptId} of user {delivery.UserId} no longer exists; nothing to deliver.");
        if (!PromptStates.IsOpen(prompt.State))
            return result.Log($"Prompt {prompt.Id} is {prompt.State}; not delivered again.");

        var now = time.GetUtcNow();
        if (prompt.IsExpiredAt(now))
        {
            if (prompt.SentAt is null && await prompts.TrySetStateAsync(prompt, etag, PromptStates.Expired, "ExpiredAt", now, cancellationToken))
            {
                metrics.PromptStateChanged(PromptStates.Expired);
                metrics.PromptSuppressed(SuppressionReasons.Expired, prompt.Type);
            }
            return result.Log($"Prompt {prompt.Id} expired at {prompt.ExpiresAt:O} before it could be delivered.");
        }
        if (prompt.DeliverAt is { } due && due - now > Tolerance)
        {
            await scheduler.ScheduleAsync(prompt, now, cancellationToken);
            return result.Log($"Prompt {prompt.Id} is due at {due:O}; delivery re-scheduled.");
        }

        if (!await prompts.TryMarkSentAsync(prompt, etag, DeliveryChannels.InApp, now, cancellationToken))
            return result.Log($"Prompt {prompt.Id} changed while it was being delivered; left as it is.");
        metrics.PromptDelivered(DeliveryChannels.InApp, prompt.Type);
        var sent = prompt with { State = prompt.State == PromptStates.Scheduled ? PromptStates.Pending : prompt.State, SentAt = now, Channel = DeliveryChannels.InApp };
        return result
            .Output("signalRMessages", new[] { new SignalRMessage(Target, [PromptView.From(sent)], prompt.UserId) })
            .Log($"Pushed prompt {prompt.Id} to user {prompt.UserId}.");
    }
}
