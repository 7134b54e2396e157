using CoachFunctions.Channels;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Coaching.Frequency;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.SendToChannel;

/// <summary>
/// Queue: one attempt of one prompt on one channel (push, e-mail, WeCom), through its
/// <see cref="IChannelSender"/>. Every attempt is recorded on the prompt (<see cref="DeliveryAttempt"/>).
/// Sent: the prompt is marked sent on that channel. Retry later: the same message is queued again,
/// hidden for the backoff (<see cref="RetryBackoff"/>), up to 5 attempts; then, or at once when the
/// channel refuses, the channel is recorded as failed and the next channel of the order is started
/// (in-app last, through the deliveries queue).
/// Idempotent on redelivery: a prompt already sent is left alone, and an attempt already recorded is
/// not made again (its recorded outcome is carried on). A crash between a send and its record makes
/// the redelivered message send again with the same <c>webhook-id</c>, which the receiver deduplicates.
/// </summary>
public sealed class SendToChannelFunction(PromptStore prompts, ChannelDispatcher dispatcher, CoachMetrics metrics, TimeProvider time,
    ILogger<SendToChannelFunction> logger)
{
    /// <summary>A record that lost an ETag race (an ack, a dismissal) is tried again on a fresh read this many times.</summary>
    private const int RecordTries = 4;

    [Function("SendToChannel")]
    public async Task Run([QueueTrigger(StorageNames.ChannelSendsQueue, Connection = StorageClients.SettingName)] ChannelSendRequest send, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(send.UserId) || string.IsNullOrWhiteSpace(send.PromptId) || !DeliveryChannels.All.Contains(send.Channel)
            || send.Channel == DeliveryChannels.InApp || send.Attempt < 1 || send.Order is not { Count: > 0 })
            throw new InvalidQueueMessageException("The channel send lacks a user, a prompt, a known channel other than in-app, an attempt or an order.");

        if (await prompts.GetAsync(send.UserId, send.PromptId, ct) is not var (prompt, etag))
        {
            logger.LogInformation("Prompt {PromptId} of user {UserId} no longer exists; nothing to send.", send.PromptId, send.UserId);
            return;
        }
        if (prompt.SentAt is not null || !PromptStates.IsOpen(prompt.State))
        {
            logger.LogInformation("Prompt {PromptId} is {State}, sent {SentAt:O}; not sent again.", prompt.Id, prompt.State, prompt.SentAt);
            return;
        }
        var now = time.GetUtcNow();
        if (prompt.IsExpiredAt(now))
        {
            if (await prompts.TrySetStateAsync(prompt, etag, PromptStates.Expired, "ExpiredAt", now, ct))
            {
                metrics.PromptStateChanged(PromptStates.Expired);
                metrics.PromptSuppressed(SuppressionReasons.Expired, prompt.Type);
            }
            return;
        }

        // Redelivered after this attempt was recorded: carry its outcome on instead of sending again.
        if (prompt.Deliveries.LastOrDefault(a => a.Channel == send.Channel && a.Attempt == send.Attempt) is { } recorded)
        {
            await ContinueAsync(send, prompt, recorded, null, counted: false, now, ct);
            return;
        }

        var result = dispatcher.Sender(send.Channel) is { } sender
            ? await sender.SendAsync(new ChannelMessage(prompt, ChannelDispatcher.DeliveryId(prompt.Id, send.Channel), send.Attempt, now), ct)
            : ChannelResult.Refuse("no sender registered");
        var attempt = DeliveryAttempt.From(send.Channel, send.Attempt, now, result, lastTry: send.Attempt >= RetryBackoff.MaxAttempts);
        logger.LogInformation("Prompt {PromptId} on {Channel}, attempt {Attempt}: {Outcome} ({Reason}).",
            prompt.Id, send.Channel, send.Attempt, attempt.Outcome, attempt.Reason);
        // A storage failure here throws, and the redelivered message sends again with the same webhook-id.
        if (!await prompts.TryRecordAttemptAsync(prompt, etag, attempt, ct) && !await RecordOnFreshReadAsync(send, attempt, ct))
        {
            logger.LogInformation("Prompt {PromptId} was answered, dismissed or sent elsewhere meanwhile; {Channel} goes no further.", prompt.Id, send.Channel);
            if (attempt.Outcome == DeliveryAttempt.Sent) metrics.PromptDelivered(send.Channel, prompt.Type);
            return;
        }
        await ContinueAsync(send, prompt, attempt, result.RetryAfter, counted: true, now, ct);
    }

    /// <summary>What follows an attempt: nothing once sent, the same channel later, or the next channel.</summary>
    private async Task ContinueAsync(ChannelSendRequest send, CoachingPrompt prompt, DeliveryAttempt attempt, TimeSpan? retryAfter, bool counted, DateTimeOffset now, CancellationToken ct)
    {
        switch (attempt.Outcome)
        {
            case DeliveryAttempt.Sent:
                if (counted) metrics.PromptDelivered(send.Channel, prompt.Type);
                return;
            case DeliveryAttempt.RetryLater:
                var delay = RetryBackoff.Delay(send.Attempt, retryAfter, Random.Shared.NextDouble());
                await dispatcher.EnqueueAsync(send with { Attempt = send.Attempt + 1 }, delay, ct);
                return;
            default:
                if (counted) metrics.ChannelFailed(send.Channel, prompt.Type);
                var next = ChannelDispatch.Next(send.Order, send.Channel);
                logger.LogInformation("Prompt {PromptId}: {Channel} gave up; next {Next}.", prompt.Id, send.Channel, next);
                await dispatcher.StartAsync(prompt, next, send.Order, now, ct);
                return;
        }
    }

    /// <summary>
    /// The record lost an ETag race (an acknowledgement, a snooze): records it on a fresh read rather
    /// than sending again. False when the prompt is gone, closed or sent meanwhile: nothing more to do.
    /// </summary>
    private async Task<bool> RecordOnFreshReadAsync(ChannelSendRequest send, DeliveryAttempt attempt, CancellationToken ct)
    {
        for (var i = 0; i < RecordTries; i++)
        {
            if (await prompts.GetAsync(send.UserId, send.PromptId, ct) is not var (prompt, etag) || prompt.SentAt is not null || !PromptStates.IsOpen(prompt.State))
                return false;
            if (await prompts.TryRecordAttemptAsync(prompt, etag, attempt, ct)) return true;
        }
        throw new InvalidOperationException($"Prompt {send.PromptId} kept changing; attempt {send.Attempt} on {send.Channel} not recorded (the message is retried).");
    }
}
