using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Hosting;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Channels.Webhooks;

/// <summary>
/// The push or e-mail channel: one signed webhook per prompt to the provider's URL, with the user's
/// devices or address. Reachable when the URL is configured and the user has a device (push) or an
/// address (e-mail). <c>webhook-id</c> is the message's delivery id, the same on every retry, so the
/// provider can drop a repeat (a retry after a lost answer, or a resend after a crash between the
/// send and its record on the prompt).
/// </summary>
public sealed class WebhookChannelSender(string channel, WebhookOptions options, ContactStore contacts, WebhookClient client) : IChannelSender
{
    public string Channel { get; } = channel;

    public async Task<bool> CanReachAsync(string userId, DateTimeOffset now, CancellationToken ct) =>
        options.UrlFor(Channel) is not null && (await contacts.GetAsync(userId, ct)).Reaches(Channel);

    public async Task<ChannelResult> SendAsync(ChannelMessage message, CancellationToken ct)
    {
        if (options.UrlFor(Channel) is not { } url) return ChannelResult.Refuse("not configured");
        var to = await contacts.GetAsync(message.Prompt.UserId, ct);
        if (!to.Reaches(Channel)) return ChannelResult.Refuse(Channel == DeliveryChannels.Push ? "no device" : "no address");
        var body = CoachJson.Serialize(PromptWebhook.For(message, to, Channel));
        return await client.PostAsync(url, message.DeliveryId, body, ct);
    }
}
