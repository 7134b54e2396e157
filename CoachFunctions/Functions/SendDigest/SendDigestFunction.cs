using Azure;
using CoachFunctions.Channels.Webhooks;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Functions.SendToChannel;
using CoachFunctions.Hosting;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.SendDigest;

/// <summary>
/// Queue: one user's daily e-mail digest, at their preferred local time. The prompts waiting for it
/// that are still open and unsent go out in one signed webhook (<see cref="DigestWebhook"/>,
/// <c>webhook-id</c> = <c>digest_{user}_{local date}</c>), then each is marked sent on e-mail and its
/// waiting row removed, in one transaction. Nothing is sent when nothing waits. Sent once: a
/// redelivered message finds no rows; a crash between the send and that transaction resends the same
/// webhook-id, which the receiver drops. Retries as a channel does (5 attempts, backoff through the
/// queue); when the digest fails for good, its prompts fall back to in-app.
/// </summary>
public sealed class SendDigestFunction(DigestStore digests, DigestScheduler scheduler, PromptStore prompts, ContactStore contacts, ChannelDispatcher dispatcher,
    WebhookOptions options, WebhookClient client, CoachMetrics metrics, TimeProvider time, ILogger<SendDigestFunction> logger)
{
    private const int CompleteTries = 3;

    /// <summary>Longer than the longest backoff, so a claim outlives the wait for its own retry.</summary>
    private static readonly TimeSpan ClaimFor = RetryBackoff.Cap + TimeSpan.FromMinutes(10);

    [Function("SendDigest")]
    public async Task Run([QueueTrigger(StorageNames.EmailDigestsQueue, Connection = StorageClients.SettingName)] DigestRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.UserId) || string.IsNullOrWhiteSpace(request.Date) || request.Attempt < 1)
            throw new InvalidQueueMessageException("The digest request lacks a user, a date or an attempt.");
        var now = time.GetUtcNow();
        if (request.SendAt > now)
        {
            await scheduler.RequeueAsync(request, request.SendAt - now, ct); // surfaced early: nothing goes out before its time
            return;
        }

        // Two prompts of a day may each have queued a message for the same send: one claims it, the other goes.
        var nonce = request.Nonce ?? request.Date;
        if (!await digests.TryClaimAsync(request.UserId, request.Date, nonce, now, now + ClaimFor, ct))
        {
            logger.LogInformation("The digest of user {UserId} for {Date} is another message's to send.", request.UserId, request.Date);
            return;
        }

        for (var tries = 1; ; tries++)
        {
            var waiting = await digests.DueAsync(request.UserId, request.SendAt, ct);
            if (waiting.Count == 0)
            {
                logger.LogInformation("No digest for user {UserId} on {Date}: nothing waits.", request.UserId, request.Date);
                return;
            }
            var live = new List<(CoachingPrompt Prompt, ETag ETag)>();
            foreach (var entry in waiting)
                if (await prompts.GetAsync(request.UserId, entry.PromptId, ct) is var (p, etag) && p.SentAt is null && PromptStates.IsOpen(p.State) && !p.IsExpiredAt(now))
                    live.Add((p, etag));
            var ids = waiting.Select(w => w.PromptId).ToList();
            if (live.Count == 0)
            {
                await digests.CompleteAsync(request.UserId, [], ids, ct);
                return;
            }

            var result = await SendAsync(request, live.Select(l => l.Prompt).OrderBy(p => p.CreatedAt).ToList(), ct);
            var lastTry = request.Attempt >= RetryBackoff.MaxAttempts;
            var attempt = DeliveryAttempt.From(DeliveryChannels.Email, request.Attempt, now, result, lastTry);
            logger.LogInformation("Digest of user {UserId} for {Date} ({Count} prompts), attempt {Attempt}: {Outcome} ({Reason}).",
                request.UserId, request.Date, live.Count, request.Attempt, attempt.Outcome, attempt.Reason);
            if (attempt.Outcome == DeliveryAttempt.RetryLater)
            {
                // Recorded on the digest's rows only by the next attempt: the prompts show the outcome that ends it.
                await scheduler.RequeueAsync(request with { Attempt = request.Attempt + 1, Nonce = nonce },
                    RetryBackoff.Delay(request.Attempt, result.RetryAfter, Random.Shared.NextDouble()), ct);
                return;
            }
            try
            {
                await digests.CompleteAsync(request.UserId, [.. live.Select(l => (l.Prompt, l.ETag, attempt))], ids, ct);
            }
            catch (RequestFailedException) when (tries < CompleteTries)
            {
                // A prompt changed between the read and the record (an ack): read again; the resend carries the same webhook-id.
                logger.LogInformation("Digest of user {UserId}: a prompt changed meanwhile; read again.", request.UserId);
                continue;
            }
            foreach (var (p, _) in live)
            {
                if (attempt.Outcome == DeliveryAttempt.Sent)
                {
                    metrics.PromptDelivered(DeliveryChannels.Email, p.Type);
                    continue;
                }
                metrics.ChannelFailed(DeliveryChannels.Email, p.Type);
                await dispatcher.StartAsync(p, DeliveryChannels.InApp, [DeliveryChannels.Email, DeliveryChannels.InApp], now, ct);
            }
            return;
        }
    }

    private async Task<ChannelResult> SendAsync(DigestRequest request, IReadOnlyList<CoachingPrompt> items, CancellationToken ct)
    {
        if (options.Email is not { } url) return ChannelResult.Refuse("not configured");
        var to = await contacts.GetAsync(request.UserId, ct);
        if (to.Email is not { } email) return ChannelResult.Refuse("no address");
        var id = DeliveryId(request.UserId, request.Date);
        var body = CoachJson.Serialize(new DigestWebhook("digest", id, DeliveryChannels.Email, request.UserId, email, items[0].Locale, request.Date,
            [.. items.Select(p => new DigestItem(p.Id, p.Type, PromptWebhook.PriorityName(p.Priority), p.Title, p.Message, p.QuickReplies, p.CreatedAt,
                PromptWebhook.LinkTo(p.Id)))],
            request.Attempt));
        return await client.PostAsync(url, id, body, ct);
    }

    /// <summary>One per user and local date: the receiver drops a resend.</summary>
    public static string DeliveryId(string userId, string date) => $"digest_{userId}_{date}";
}
