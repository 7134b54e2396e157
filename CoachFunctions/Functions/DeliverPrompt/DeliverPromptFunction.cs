using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Frequency;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.SignalR;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.DeliverPrompt;

/// <summary>
/// Queue: push a stored prompt to its user's connections (target <c>coachingPrompt</c>) through
/// SignalR Service's REST API. A prompt that went stale while it waited (quiet hours outlasted its
/// type's expiry) becomes <c>expired</c> and is never pushed; one that is not due yet waits again;
/// answered or dismissed prompts are not pushed again. Whether the client saw it is the client's to
/// acknowledge, so an offline user catches up from the prompt list.
/// Without SignalR settings (<see cref="SignalRServiceEndpoint"/>) nothing is pushed and prompts stay
/// unsent for the list to show.
/// </summary>
public sealed class DeliverPromptFunction(PromptStore prompts, DeliveryScheduler scheduler, CoachMetrics metrics, TimeProvider time,
    ILogger<DeliverPromptFunction> logger, SignalRRestClient? signalR = null)
{
    [Function("DeliverPrompt")]
    public async Task Run([QueueTrigger(StorageNames.DeliveriesQueue, Connection = StorageClients.SettingName)] DeliveryRequest delivery, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(delivery.UserId) || string.IsNullOrWhiteSpace(delivery.PromptId))
            throw new InvalidQueueMessageException("The delivery request lacks a user or a prompt id.");
        if (await prompts.GetAsync(delivery.UserId, delivery.PromptId, ct) is not var (prompt, etag))
        {
            logger.LogInformation("Prompt {PromptId} of user {UserId} no longer exists; nothing to deliver.", delivery.PromptId, delivery.UserId);
            return;
        }
        if (!PromptStates.IsOpen(prompt.State))
        {
            logger.LogInformation("Prompt {PromptId} is {State}; not delivered again.", prompt.Id, prompt.State);
            return;
        }

        var now = time.GetUtcNow();
        if (prompt.IsExpiredAt(now))
        {
            if (prompt.SentAt is null && await prompts.TrySetStateAsync(prompt, etag, PromptStates.Expired, "ExpiredAt", now, ct))
            {
                metrics.PromptStateChanged(PromptStates.Expired);
                metrics.PromptSuppressed(SuppressionReasons.Expired, prompt.Type);
            }
            logger.LogInformation("Prompt {PromptId} expired at {ExpiresAt:O} before it could be delivered.", prompt.Id, prompt.ExpiresAt);
            return;
        }
        // Nothing goes out before it is due, by any margin: a message that surfaced early (the queue's
        // clock, or a delay rounded by the service) waits again for what is left.
        if (prompt.DeliverAt is { } due && due > now)
        {
            await scheduler.ScheduleAsync(prompt, now, ct);
            logger.LogInformation("Prompt {PromptId} is due at {DueAt:O}; delivery re-scheduled.", prompt.Id, due);
            return;
        }

        if (signalR is null)
        {
            logger.LogWarning("Prompt {PromptId} not pushed: real-time delivery is not configured ({Setting}).", prompt.Id, SignalRServiceEndpoint.SettingName);
            return;
        }

        // Send first, then mark sent. The other order loses the message when the send fails after
        // the mark: the retry would find it sent (or its ETag stale) and push nothing. This order
        // can push twice instead (the mark fails or the host retries after a send that worked), and
        // the client shows each prompt id once, so a duplicate changes nothing the user sees.
        var sent = prompt with { State = prompt.State == PromptStates.Scheduled ? PromptStates.Pending : prompt.State, SentAt = now, Channel = DeliveryChannels.InApp };
        await signalR.SendToUserAsync(CoachingHub.Name, prompt.UserId, CoachingHub.PromptTarget, [PromptView.From(sent)], ct);
        if (!await prompts.TryMarkSentAsync(prompt, etag, DeliveryChannels.InApp, now, ct))
        {
            // Changed since we read it (answered or dismissed from the list, or another delivery marked it): it is out either way.
            logger.LogInformation("Prompt {PromptId} changed while it was being delivered; pushed, its state left as it is.", prompt.Id);
            return;
        }
        metrics.PromptDelivered(DeliveryChannels.InApp, prompt.Type);
        logger.LogInformation("Pushed prompt {PromptId} to user {UserId}.", prompt.Id, prompt.UserId);
    }
}
