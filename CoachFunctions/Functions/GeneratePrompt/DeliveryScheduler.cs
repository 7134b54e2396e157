using CoachFunctions.Coaching;
using CoachFunctions.Hosting;
using CoachFunctions.Storage;

namespace CoachFunctions.Functions.GeneratePrompt;

/// <summary>
/// The message on the deliveries queue: which prompt to deliver to whom. <see cref="Channels"/>: the
/// channels the user accepted when it was queued, when any besides in-app (DeliverPrompt then
/// dispatches by priority, <c>ChannelDispatcher</c>); absent, in-app, as for the default user, so
/// delivering costs no read of preferences. A change of channels reaches prompts queued after it.
/// </summary>
public sealed record DeliveryRequest(string UserId, string PromptId, IReadOnlyList<string>? Channels = null)
{
    /// <summary>What a request carries for a user's accepted channels: nothing when in-app is all.</summary>
    public static IReadOnlyList<string>? ChannelsFor(IReadOnlyList<string> accepted) =>
        accepted.Any(c => c != DeliveryChannels.InApp) ? accepted : null;
}

/// <summary>
/// Decides when a prompt's delivery request is due. Due now: returned for the function's queue
/// output. Due later (held by quiet hours, snoozed): queued here with an initial visibility delay
/// until it is due or stale, whichever comes first, since a queue output cannot delay a message.
/// </summary>
public sealed class DeliveryScheduler(StorageClients storage, StorageBootstrap bootstrap)
{
    /// <summary>Queue messages can be hidden for at most seven days.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    public async Task<DeliveryRequest?> ScheduleAsync(CoachingPrompt prompt, DateTimeOffset now, CancellationToken ct, IReadOnlyList<string>? channels = null)
    {
        var request = new DeliveryRequest(prompt.UserId, prompt.Id, channels);
        var dueAt = new[] { prompt.DeliverAt ?? now, prompt.ExpiresAt ?? DateTimeOffset.MaxValue }.Min();
        var delay = dueAt - now;
        if (delay <= TimeSpan.Zero) return request;

        await SendAsync(request, VisibilityDelay(delay), ct);
        return null;
    }

    /// <summary>
    /// The queue counts visibility in whole seconds and drops the fraction, which would surface a
    /// message up to a second before it is due: round up instead (and stay within the queue's week).
    /// </summary>
    public static TimeSpan VisibilityDelay(TimeSpan untilDue)
    {
        var seconds = TimeSpan.FromSeconds(Math.Ceiling(untilDue.TotalSeconds));
        return seconds < MaxDelay ? seconds : MaxDelay;
    }

    /// <summary>
    /// For callers without a queue output (HTTP functions: follow-ups, snoozes; their answer goes
    /// out before the host would write outputs): always queued, now or with the delay until it is due.
    /// </summary>
    public async Task EnqueueAsync(CoachingPrompt prompt, DateTimeOffset now, CancellationToken ct, IReadOnlyList<string>? channels = null)
    {
        if (await ScheduleAsync(prompt, now, ct, channels) is { } dueNow) await SendAsync(dueNow, null, ct);
    }

    private async Task SendAsync(DeliveryRequest request, TimeSpan? delay, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await storage.Queue(StorageNames.DeliveriesQueue).SendMessageAsync(CoachJson.Serialize(request), visibilityTimeout: delay, cancellationToken: ct);
    }
}
