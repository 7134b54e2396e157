using System.Security.Cryptography;
using System.Text;
using Azure;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Coaching.Channels.WeCom;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Channels.WeCom;

/// <summary>
/// Sends a prompt as a WeCom customer-service message: a text rendered from the <c>wecom_text</c>
/// template, or a mini-program card when one is configured. Before sending, the rules
/// (<see cref="WeComRules"/>) in the user's zone; then a count is taken on the session row (guarded
/// by its ETag, so concurrent sends cannot together pass the 5 messages or the daily limit) and given
/// back if the message did not go out.
/// </summary>
public sealed class WeComSender(WeComChannel channel, WeComStore store, UserDataStore users, WeComApiClient api, ILogger<WeComSender> log) : IChannelSender
{
    /// <summary>WeCom's limit on a text message's content, in bytes.</summary>
    public const int MaxTextBytes = 2048;

    public string Channel => DeliveryChannels.WeCom;

    public async Task<bool> CanReachAsync(string userId, DateTimeOffset now, CancellationToken ct) =>
        await store.GetSessionAsync(userId, ct) is not null;

    public async Task<ChannelResult> SendAsync(ChannelMessage message, CancellationToken ct)
    {
        var prompt = message.Prompt;
        try
        {
            var zone = TimeZones.Resolve((await users.GetPreferencesAsync(prompt.UserId, ct)).TimeZone);
            // Everything read before the count is taken, so a storage failure cannot leave a count taken for nothing.
            var text = await RenderAsync(prompt, ct);
            var (verdict, taken, before) = await TakeCountAsync(prompt.UserId, message.Now, zone, ct);
            if (verdict is not null) return Logged(verdict, message);

            var result = await SendNowAsync(prompt, text, taken!, message.DeliveryId, ct);
            if (result.Outcome != ChannelOutcome.Sent)
            {
                var day = LocalClock.DateOf(message.Now, zone);
                await store.UpdateSessionAsync(prompt.UserId, s => s.WithoutSent(before!.LastInboundAt, day), ct);
            }
            return Logged(result, message);
        }
        catch (RequestFailedException)
        {
            return Logged(ChannelResult.Retry("storage did not answer"), message);
        }
    }

    /// <summary>The rules' verdict, or the session with this message counted (and the one before).</summary>
    private async Task<(ChannelResult? Verdict, WeComSession? Taken, WeComSession? Before)> TakeCountAsync(string userId, DateTimeOffset now, TimeZoneInfo zone, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await store.GetSessionAsync(userId, ct);
            if (WeComRules.Check(current?.Session, now, zone, channel.Limits) is { } no) return (no, null, null);
            var taken = current!.Value.Session.WithSent(now, zone);
            if (await store.TryReplaceSessionAsync(userId, taken, current.Value.ETag, ct)) return (null, taken, current.Value.Session);
        }
        return (ChannelResult.Retry("the WeCom session kept changing"), null, null);
    }

    /// <summary>The text (or, with a mini-program, the card's title) from the admin's template or the default.</summary>
    private async Task<string> RenderAsync(CoachingPrompt prompt, CancellationToken ct)
    {
        var values = new Dictionary<string, string?>
        {
            ["title"] = prompt.Title,
            ["message"] = prompt.Message,
            ["habitName"] = prompt.Facts.HabitName,
            // The app keeps no display name; the placeholder renders empty until it does.
            ["name"] = null,
        };
        var card = WeComOptions.HasMiniProgram(channel.Options);
        var text = MessageTemplates.Render(await TemplateAsync(card ? MessageTemplates.WeComMiniProgramTitle : MessageTemplates.WeComText, ct), values);
        // A template of placeholders that are all empty here ({name} alone) would be an empty message, which WeCom refuses.
        if (string.IsNullOrWhiteSpace(text)) text = prompt.Message;
        return card ? Cut(text, 128) : Cut(text, MaxTextBytes);
    }

    private async Task<ChannelResult> SendNowAsync(CoachingPrompt prompt, string text, WeComSession session, string deliveryId, CancellationToken ct)
    {
        var msgId = MsgId(deliveryId);
        var o = channel.Options;
        object body;
        if (WeComOptions.HasMiniProgram(o))
        {
            var page = o.MiniProgramPagePath + (o.MiniProgramPagePath.Contains('?') ? "&" : "?") + "promptId=" + Uri.EscapeDataString(prompt.Id);
            body = new WeComMiniProgramMessage(session.ExternalUserId, session.OpenKfId, msgId, new WeComMiniProgram(o.MiniProgramAppId, text, o.MiniProgramThumbMediaId, page));
        }
        else body = new WeComTextMessage(session.ExternalUserId, session.OpenKfId, msgId, new WeComText(text));
        try
        {
            return WeComErrors.ForSend((await api.SendMessageAsync(body, ct)).ErrCode);
        }
        catch (WeComException e)
        {
            return e.Transient ? ChannelResult.Retry(e.Message) : ChannelResult.Refuse(e.Message);
        }
    }

    private async Task<string> TemplateAsync(string name, CancellationToken ct) =>
        (await store.GetTemplateAsync(name, ct))?.Text ?? MessageTemplates.Defaults[name];

    /// <summary>Stable per prompt and channel (WeCom's msgid: at most 32 of [0-9a-zA-Z_-]), so a retry is the same message.</summary>
    public static string MsgId(string deliveryId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deliveryId)))[..32];

    /// <summary>At most <paramref name="maxBytes"/> of UTF-8, cut on a character boundary.</summary>
    public static string Cut(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes) return text;
        var length = text.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > maxBytes - 3) length--;
        if (length > 0 && char.IsHighSurrogate(text[length - 1])) length--;
        return text[..length] + "…";
    }

    private ChannelResult Logged(ChannelResult result, ChannelMessage message)
    {
        // The prompt id and the outcome only: never the text, the session ids or anything of the credentials.
        log.LogInformation("WeCom delivery of prompt {PromptId} (attempt {Attempt}): {Outcome} {Reason}", message.Prompt.Id, message.Attempt, result.Outcome, result.Reason);
        return result;
    }
}
