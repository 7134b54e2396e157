using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Frequency;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.Functions.SendToChannel;
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
/// unsent for the list to show. A prompt due the moment it is stored is usually pushed by the function
/// that stored it (<see cref="PromptPusher"/>); its request reaches this queue only when that push failed.
/// A request that names the user's channels (<see cref="DeliveryRequest.Channels"/>) goes by the
/// channel order first (<see cref="ChannelDispatcher"/>): a channel other than in-app takes it from
/// here through the channel-sends queue or the digest, and in-app, when it comes first, is pushed here.
/// </summary>
public sealed class DeliverPromptFunction(PromptStore prompts, DeliveryScheduler scheduler, CoachMetrics metrics, TimeProvider time,
    ILogger<DeliverPromptFunction> logger, PromptPusher? pusher = null, ChannelDispatcher? channels = null)
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
            await scheduler.ScheduleAsync(prompt, now, ct, delivery.Channels);
            logger.LogInformation("Prompt {PromptId} is due at {DueAt:O}; delivery re-scheduled.", prompt.Id, due);
            return;
        }

        // Channels beyond in-app, when the user accepts any: the order by priority decides (spec §4).
        if (delivery.Channels is { Count: > 0 } accepted && channels is not null && await channels.TryHandOffAsync(prompt, await channels.OrderAsync(prompt, accepted, now, ct), now, ct))
            return;
        if (pusher is null)
        {
            logger.LogWarning("Prompt {PromptId} not pushed: real-time delivery is not configured ({Setting}).", prompt.Id, SignalRServiceEndpoint.SettingName);
            return;
        }
        await pusher.PushAsync(prompt, etag, now, ct);
    }
}
