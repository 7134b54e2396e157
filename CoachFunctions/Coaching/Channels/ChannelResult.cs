namespace CoachFunctions.Coaching.Channels;

/// <summary>What one delivery attempt on one channel came to.</summary>
public enum ChannelOutcome
{
    /// <summary>The channel took the message (a provider answered 2xx, WeCom answered errcode 0).</summary>
    Sent,

    /// <summary>A failure that may pass (timeout, 5xx, 429, an expired token): try this channel again after <see cref="ChannelResult.RetryAfter"/> or the backoff.</summary>
    RetryLater,

    /// <summary>This channel will not take this message, now or later (no address, outside WeCom's window, its limit reached, a 4xx): go on to the next channel.</summary>
    Refused,
}

/// <summary>
/// One attempt's result, as a channel sender reports it. <see cref="Reason"/> is short and safe to
/// store and show an admin: never a secret, a token or the message text.
/// </summary>
public sealed record ChannelResult(ChannelOutcome Outcome, string? Reason = null, TimeSpan? RetryAfter = null)
{
    public static readonly ChannelResult Sent = new(ChannelOutcome.Sent);
    public static ChannelResult Retry(string reason, TimeSpan? after = null) => new(ChannelOutcome.RetryLater, reason, after);
    public static ChannelResult Refuse(string reason) => new(ChannelOutcome.Refused, reason);
}
