using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;

namespace CoachFunctions.Channels.Webhooks;

/// <summary>A push device as the payload names it.</summary>
public sealed record WebhookDevice(string Token, string Platform);

/// <summary>
/// The body of one prompt's webhook (<c>kind</c> = <c>prompt</c>): what the provider needs to show it
/// and where a tap leads (<c>deepLink</c>, a path of the web client). <c>devices</c> for push,
/// <c>email</c> for e-mail; <c>deliveryId</c> equals the <c>webhook-id</c> header.
/// </summary>
public sealed record PromptWebhook(
    string Kind, string DeliveryId, string Channel, string PromptId, string UserId, string Type, string Priority,
    string Title, string Message, IReadOnlyList<QuickReply> QuickReplies, string Locale, string DeepLink,
    IReadOnlyList<WebhookDevice>? Devices, string? Email, int Attempt)
{
    public static PromptWebhook For(ChannelMessage m, UserContacts contacts, string channel) => new(
        "prompt", m.DeliveryId, channel, m.Prompt.Id, m.Prompt.UserId, m.Prompt.Type, PriorityName(m.Prompt.Priority),
        m.Prompt.Title, m.Prompt.Message, m.Prompt.QuickReplies, m.Prompt.Locale, LinkTo(m.Prompt.Id),
        channel == DeliveryChannels.Push ? [.. contacts.Devices.Select(d => new WebhookDevice(d.Token, d.Platform))] : null,
        channel == DeliveryChannels.Email ? contacts.Email : null, m.Attempt);

    /// <summary>The web client opens a prompt from its feed by id.</summary>
    public static string LinkTo(string promptId) => $"/?prompt={Uri.EscapeDataString(promptId)}";

    public static string PriorityName(Priority p) => p.ToString().ToLowerInvariant();
}

/// <summary>One prompt in a digest.</summary>
public sealed record DigestItem(string PromptId, string Type, string Priority, string Title, string Message,
    IReadOnlyList<QuickReply> QuickReplies, DateTimeOffset CreatedAt, string DeepLink);

/// <summary>The daily e-mail digest's body (<c>kind</c> = <c>digest</c>): the user's low-priority prompts of the day, oldest first.</summary>
public sealed record DigestWebhook(string Kind, string DeliveryId, string Channel, string UserId, string Email, string Locale,
    string Date, IReadOnlyList<DigestItem> Items, int Attempt);
