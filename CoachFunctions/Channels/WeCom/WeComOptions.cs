using CoachFunctions.Coaching.Channels.WeCom;

namespace CoachFunctions.Channels.WeCom;

/// <summary>
/// Settings <c>Channels__WeCom__*</c>. The channel is on when the corp id, the customer-service
/// secret, the callback token and the EncodingAESKey are all set; some set and some not is a start-up
/// error. <see cref="CorpSecret"/>, <see cref="Token"/> and <see cref="EncodingAESKey"/> are secrets:
/// never logged, never in a problem detail or a stored reason.
/// </summary>
public sealed class WeComOptions
{
    public const string Section = "Channels:WeCom";
    public const string DefaultApiBaseUrl = "https://qyapi.weixin.qq.com";

    /// <summary>The enterprise's corp id: gettoken's corpid, and the receiveid every callback must carry.</summary>
    public string CorpId { get; set; } = "";

    /// <summary>The 微信客服 application's secret (gettoken's corpsecret).</summary>
    public string CorpSecret { get; set; } = "";

    /// <summary>The callback's Token (signatures).</summary>
    public string Token { get; set; } = "";

    /// <summary>The callback's EncodingAESKey: 43 characters of base64 without its "=", 32 bytes of AES key.</summary>
    public string EncodingAESKey { get; set; } = "";

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>
    /// The kf account's link from <c>kf/add_contact_way</c> (made with a scene, so it takes a
    /// <c>scene_param</c>): the link route appends the caller's one-time code to it.
    /// </summary>
    public string ContactUrl { get; set; } = "";

    /// <summary>"HH:mm-HH:mm" in the user's zone (may cross midnight); empty for none.</summary>
    public string QuietTime { get; set; } = WeComLimits.DefaultQuietTime;

    /// <summary>Messages per user per local day.</summary>
    public int DailyLimit { get; set; } = WeComLimits.DefaultDailyLimit;

    /// <summary>With <see cref="MiniProgramThumbMediaId"/>: prompts go out as mini-program cards opening <see cref="MiniProgramPagePath"/>.</summary>
    public string MiniProgramAppId { get; set; } = "";
    public string MiniProgramPagePath { get; set; } = "";
    public string MiniProgramThumbMediaId { get; set; } = "";

    public static WeComOptions Read(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<WeComOptions>() ?? new WeComOptions();

    /// <summary>Whether the channel is on; throws for a half-done or malformed configuration.</summary>
    public static bool Validate(WeComOptions o)
    {
        string[] required = [o.CorpId, o.CorpSecret, o.Token, o.EncodingAESKey];
        if (required.All(string.IsNullOrWhiteSpace)) return false;
        if (required.Any(string.IsNullOrWhiteSpace))
            throw new InvalidOperationException("WeCom is half configured: set all of Channels__WeCom__CorpId, __CorpSecret, __Token and __EncodingAESKey, or none.");
        if (!WeComCrypto.TryReadKey(o.EncodingAESKey, out _))
            throw new InvalidOperationException("Channels__WeCom__EncodingAESKey must be the 43-character key WeCom's callback settings show.");
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("https" or "http"))
            throw new InvalidOperationException("Channels__WeCom__ApiBaseUrl must be an absolute http(s) URL.");
        if (o.ContactUrl.Length > 0 && !Uri.TryCreate(o.ContactUrl, UriKind.Absolute, out _))
            throw new InvalidOperationException("Channels__WeCom__ContactUrl must be the absolute URL kf/add_contact_way returned.");
        if (!WeComLimits.TryParseQuietTime(o.QuietTime, out _, out _))
            throw new InvalidOperationException("Channels__WeCom__QuietTime must be HH:mm-HH:mm (such as 22:00-08:00) or empty.");
        if (o.DailyLimit < 1) throw new InvalidOperationException("Channels__WeCom__DailyLimit must be at least 1.");
        return true;
    }

    public static WeComLimits Limits(WeComOptions o)
    {
        WeComLimits.TryParseQuietTime(o.QuietTime, out var start, out var end);
        return new WeComLimits(start, end, o.DailyLimit);
    }

    public static bool HasMiniProgram(WeComOptions o) => o.MiniProgramAppId.Length > 0 && o.MiniProgramThumbMediaId.Length > 0;
}
