using Azure;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Frequency;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Functions.DeliverPrompt;
using CoachFunctions.Functions.SendToChannel;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.GeneratePrompt;

/// <summary>
/// Queue: detection in, stored prompt out, pushed. Frequency control runs again here against the
/// user's current summary (the authoritative check: the scan's view may be minutes old). A prompt
/// due now is pushed from here (<see cref="PromptPusher"/>), and its delivery request goes to the
/// deliveries queue only when that push fails or SignalR is not configured. Idempotent: a
/// redelivered detection finds the prompt already stored and only delivers it if it never went out.
/// A prompt due later (quiet hours) is queued with a delay by <see cref="DeliveryScheduler"/>
/// instead, since a queue output cannot delay a message. A user who accepts channels besides in-app
/// gets the channel order by priority (<see cref="ChannelDispatcher"/>); for the default user that
/// step reads nothing.
/// </summary>
public sealed class GeneratePromptFunction(UserSnapshots snapshots, UserDataStore users, PromptStore prompts, PromptGenerator generator,
    CoachingEngine engine, DeliveryScheduler deliveries, ChannelDispatcher channels, CoachMetrics metrics, TimeProvider time, ILogger<GeneratePromptFunction> logger,
    PromptPusher? pusher = null)
{
    [Function("GeneratePrompt")]
    [QueueOutput(StorageNames.DeliveriesQueue, Connection = StorageClients.SettingName)]
    public async Task<DeliveryRequest?> Run(
        [QueueTrigger(StorageNames.DetectionsQueue, Connection = StorageClients.SettingName)] Detection detection, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(detection.UserId) || !PromptTypes.All.Contains(detection.Type) || string.IsNullOrWhiteSpace(detection.DedupeKey))
            throw new InvalidQueueMessageException("The detection lacks a user, a known type or a deduplication key.");

        var now = time.GetUtcNow();
        var (snapshot, basis) = await snapshots.GetWithBasisAsync(detection.UserId, ct);
        var (planned, suppressed) = engine.Admit(detection, snapshot, now);
        if (suppressed is not null)
        {
            metrics.PromptSuppressed(suppressed.Reason, detection.Type);
            logger.LogInformation("Held back {Type} for user {UserId}: {Reason}.", detection.Type, detection.UserId, suppressed.Reason);
            return null;
        }

        CoachingPrompt prompt;
        ETag etag;
        if (planned is null)
        {
            // Already made for this moment: a redelivered message. Re-request delivery only if it never went out.
            (prompt, etag) = await prompts.FindByDedupeKeyWithETagAsync(detection.UserId, detection.DedupeKey, ct)
                             ?? throw new InvalidOperationException($"The summary lists {detection.DedupeKey} but no prompt has that key.");
            logger.LogInformation("Found existing prompt {PromptId} ({Type}) for user {UserId}.", prompt.Id, prompt.Type, prompt.UserId);
        }
        else
        {
            // The learned style is only ever part of what the model is asked: templates need no read.
            var learned = generator.AsksModel ? await users.GetLearnedAsync(detection.UserId, ct) : LearnedStyle.None;
            var generated = await generator.GenerateAsync(detection, snapshot.Preferences, learned, now, ct);
            var candidate = generated with
            {
                State = planned.Deferred ? PromptStates.Scheduled : PromptStates.Pending,
                DeliverAt = planned.DeliverAt,
                ExpiresAt = planned.ExpiresAt,
            };
            // The summary just read (and its ETag) is what the new prompt is added to: no rebuild.
            (prompt, var created, etag) = await prompts.CreateAsync(candidate, basis, ct);
            if (created) Record(prompt);
            logger.LogInformation("{Outcome} {State} prompt {PromptId} ({Type}, {Strategy}) for user {UserId}.",
                created ? "Created" : "Found existing", prompt.State, prompt.Id, prompt.Type, prompt.Strategy, prompt.UserId);
        }

        if (prompt.SentAt is not null || !PromptStates.IsOpen(prompt.State)) return null;
        var accepted = DeliveryRequest.ChannelsFor(snapshot.Preferences.Channels);
        if (await deliveries.ScheduleAsync(prompt, now, ct, accepted) is not { } dueNow) return null;
        // A user who accepts more than in-app: the channel order by priority (spec §4). The default
        // user skips this entirely, so their prompt costs no read more than before.
        if (accepted is not null && !prompt.IsExpiredAt(now)
            && await channels.TryHandOffAsync(prompt, await channels.OrderAsync(prompt, accepted, now, ct), now, ct)) return null;
        // Due now: pushed from here, with the ETag the row was written (or read) with, rather than by
        // DeliverPrompt after another queue hop; the queue output is the way only if this fails. A
        // redelivered moment whose prompt went stale goes to DeliverPrompt, which marks it expired.
        if (pusher is not null && !prompt.IsExpiredAt(now) && await pusher.TryPushAsync(prompt, etag, time.GetUtcNow(), ct)) return null;
        return dueNow;
    }

    private void Record(CoachingPrompt prompt)
    {
        metrics.PromptGenerated(prompt.Type, prompt.Priority, prompt.Strategy);
        // Held until quiet hours end: counted with its reason, though it is deferred rather than lost.
        if (prompt.State == PromptStates.Scheduled) metrics.PromptSuppressed(SuppressionReasons.QuietHours, prompt.Type);
        var g = prompt.Generation;
        if (g.Attempts > 0 && g.LatencyMs is { } ms) metrics.LlmPromptGenerated(TimeSpan.FromMilliseconds(ms), g.PromptTokens ?? 0, g.CompletionTokens ?? 0);
        if (g.FallbackReason is { } reason) metrics.LlmFallback(reason);
    }
}
