using CoachFunctions.Coaching.Channels.WeCom;

namespace CoachFunctions.Channels.WeCom;

/// <summary>
/// The channel's settings as read at start-up: whether it is on, its callback crypto and its
/// limits. Always registered, so the WeCom functions exist either way and answer 404 when it is off.
/// </summary>
public sealed class WeComChannel
{
    public WeComChannel(WeComOptions options)
    {
        Options = options;
        IsConfigured = WeComOptions.Validate(options);
        Crypto = IsConfigured ? new WeComCrypto(options.Token, options.EncodingAESKey) : null;
        Limits = WeComOptions.Limits(options);
    }

    public WeComOptions Options { get; }
    public bool IsConfigured { get; }
    public WeComCrypto? Crypto { get; }
    public WeComLimits Limits { get; }

    /// <summary>How long a link code lasts: long enough to open WeChat and tap, short enough that a leaked link is soon useless.</summary>
    public static readonly TimeSpan LinkCodeLifetime = TimeSpan.FromMinutes(10);

    /// <summary>A callback's timestamp may be this far from our clock; older (or newer) is a replay.</summary>
    public static readonly TimeSpan CallbackMaxAge = TimeSpan.FromMinutes(5);
}
