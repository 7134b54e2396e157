using CoachFunctions.Coaching.Channels;

namespace CoachFunctions.Channels.WeCom;

/// <summary>What WeCom's errcodes mean for a send (developer.work.weixin.qq.com, 全局错误码).</summary>
public static class WeComErrors
{
    public const int SystemBusy = -1;

    /// <summary>
    /// The access token is invalid (40014), expired (42001, 42007, 42009) or not the latest (40001 on
    /// the API calls; from gettoken itself it means a wrong secret): fetch a new one and try once more.
    /// </summary>
    public static readonly IReadOnlySet<int> TokenErrors = new HashSet<int> { 40001, 40014, 42001, 42007, 42009 };

    /// <summary>Call-frequency limits (45009 API, 45033 concurrent, 45035 minute): they pass.</summary>
    public static readonly IReadOnlySet<int> RateLimits = new HashSet<int> { 45009, 45033, 45035 };

    public static readonly TimeSpan RateLimitWait = TimeSpan.FromMinutes(1);

    /// <summary>kf/send_msg's errcode as one attempt's result.</summary>
    public static ChannelResult ForSend(int errCode) => errCode switch
    {
        0 => ChannelResult.Sent,
        SystemBusy => ChannelResult.Retry("WeCom is busy (errcode -1)"),
        _ when RateLimits.Contains(errCode) => ChannelResult.Retry($"WeCom rate limit (errcode {errCode})", RateLimitWait),
        _ when TokenErrors.Contains(errCode) => ChannelResult.Retry($"WeCom refused a fresh access token (errcode {errCode})"),
        // 95xxx: the session state, the 48-hour window or its 5 messages, an unknown kf account or customer.
        >= 95000 and < 96000 => ChannelResult.Refuse($"WeCom refused the message: session or window (errcode {errCode})"),
        _ => ChannelResult.Refuse($"WeCom refused the message (errcode {errCode})"),
    };
}
