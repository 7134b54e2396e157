using CoachFunctions.Channels;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.Functions.SendDigest;
using CoachFunctions.Hosting;
using CoachFunctions.Storage;

namespace CoachFunctions.Functions.SendToChannel;

/// <summary>
/// The hosting side of <see cref="ChannelDispatch"/>: asks the registered <see cref="IChannelSender"/>s
/// whether the user can be reached (only for the channels the order could use, so a user who accepts
/// in-app only costs nothing), and hands a prompt to a channel: in-app stays with the caller's
/// <c>PromptPusher</c> (or the deliveries queue), a low-priority e-mail joins the user's daily digest,
/// anything else becomes a message on the channel-sends queue for <see cref="SendToChannelFunction"/>.
/// </summary>
public sealed class ChannelDispatcher(IEnumerable<IChannelSender> senders, StorageClients storage, StorageBootstrap bootstrap, DigestScheduler digests)
{
    private readonly IReadOnlyList<IChannelSender> _senders = [.. senders];

    public IChannelSender? Sender(string channel) => _senders.FirstOrDefault(s => s.Channel == channel);

    /// <summary>The order to try for this prompt; in-app alone, with no read at all, when no other accepted channel could come first.</summary>
    public async Task<IReadOnlyList<string>> OrderAsync(CoachingPrompt prompt, IReadOnlyCollection<string> accepted, DateTimeOffset now, CancellationToken ct)
    {
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var channel in ChannelDispatch.Candidates(prompt.Priority, accepted))
            if (Sender(channel) is { } sender && await sender.CanReachAsync(prompt.UserId, now, ct)) reachable.Add(channel);
        return ChannelDispatch.Order(prompt.Priority, accepted, reachable.Contains);
    }

    /// <summary>
    /// Sends the prompt on its way on the first channel of <paramref name="order"/> unless that is
    /// in-app: false then, and the caller pushes it as it always did.
    /// </summary>
    public async Task<bool> TryHandOffAsync(CoachingPrompt prompt, IReadOnlyList<string> order, DateTimeOffset now, CancellationToken ct)
    {
        if (order[0] == DeliveryChannels.InApp) return false;
        await StartAsync(prompt, order[0], order, now, ct);
        return true;
    }

    /// <summary>
    /// Starts <paramref name="channel"/> for the prompt: the digest for a low-priority e-mail, the
    /// channel-sends queue for the rest, and the deliveries queue (DeliverPrompt pushes it) for in-app.
    /// </summary>
    public async Task StartAsync(CoachingPrompt prompt, string channel, IReadOnlyList<string> order, DateTimeOffset now, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        if (channel == DeliveryChannels.InApp)
        {
            await storage.Queue(StorageNames.DeliveriesQueue).SendMessageAsync(CoachJson.Serialize(new DeliveryRequest(prompt.UserId, prompt.Id)), cancellationToken: ct);
            return;
        }
        if (channel == DeliveryChannels.Email && prompt.Priority == Priority.Low)
        {
            await digests.AddAsync(prompt, now, ct);
            return;
        }
        await EnqueueAsync(new ChannelSendRequest(prompt.UserId, prompt.Id, channel, 1, order), null, ct);
    }

    public async Task EnqueueAsync(ChannelSendRequest request, TimeSpan? delay, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await storage.Queue(StorageNames.ChannelSendsQueue).SendMessageAsync(CoachJson.Serialize(request), visibilityTimeout: delay, cancellationToken: ct);
    }

    /// <summary>Stable per prompt and channel: the <c>webhook-id</c> a receiver deduplicates on.</summary>
    public static string DeliveryId(string promptId, string channel) => $"msg_{promptId}_{channel}";
}
