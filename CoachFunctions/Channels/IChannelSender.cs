using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;

namespace CoachFunctions.Channels;

/// <summary>
/// One attempt to hand a stored prompt to one channel. <see cref="DeliveryId"/> is stable per prompt
/// and channel (the same on every retry), so a receiver can deduplicate; <see cref="Attempt"/> counts
/// from 1; <see cref="Now"/> comes from the app's clock (tests use FakeTimeProvider).
/// </summary>
public sealed record ChannelMessage(CoachingPrompt Prompt, string DeliveryId, int Attempt, DateTimeOffset Now);

/// <summary>
/// A delivery channel other than in-app (push and e-mail webhooks, WeCom). The dispatcher chooses the
/// channel (<c>Coaching/Channels</c>), records every attempt on the prompt and moves on to the next
/// channel on <see cref="ChannelOutcome.Refused"/> or when retries run out; a sender only sends and
/// says what happened. It throws only for a bug; a network or service failure is a
/// <see cref="ChannelOutcome.RetryLater"/>.
/// </summary>
public interface IChannelSender
{
    /// <summary>The <see cref="DeliveryChannels"/> name this sender serves.</summary>
    string Channel { get; }

    /// <summary>Whether the user can be reached here at all (an address, a device, a linked WeCom session), before any attempt.</summary>
    Task<bool> CanReachAsync(string userId, DateTimeOffset now, CancellationToken ct);

    Task<ChannelResult> SendAsync(ChannelMessage message, CancellationToken ct);
}
