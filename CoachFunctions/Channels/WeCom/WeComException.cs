namespace CoachFunctions.Channels.WeCom;

/// <summary>
/// A WeCom call that got no usable answer: the network, an HTTP error, or an errcode where the
/// caller expected data. <see cref="Message"/> is safe to store (a code, never a token or a secret).
/// </summary>
public sealed class WeComException(string message, bool transient, int? errCode = null) : Exception(message)
{
    /// <summary>Whether trying again later may help (the network, 5xx, system busy) rather than a configuration to fix.</summary>
    public bool Transient { get; } = transient;

    public int? ErrCode { get; } = errCode;
}
