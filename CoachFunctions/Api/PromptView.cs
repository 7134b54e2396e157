using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Api;

/// <summary>A prompt as clients see it, over HTTP and over SignalR alike.</summary>
public sealed record PromptView(
    string Id,
    string Type,
    Priority Priority,
    string Title,
    string Message,
    IReadOnlyList<QuickReply> QuickReplies,
    string State,
    string Locale,
    string Strategy,
    DetectionFacts Facts,
    DateTimeOffset CreatedAt,
    string? ReplyTo,
    DateTimeOffset? DeliverAt,
    DateTimeOffset? ExpiresAt,
    string? Channel,
    DateTimeOffset? SentAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? SeenAt,
    DateTimeOffset? RespondedAt,
    string? Response,
    GenerationInfo Generation,
    IReadOnlyList<DeliveryAttempt> Deliveries)
{
    public static PromptView From(CoachingPrompt p) => new(
        p.Id, p.Type, p.Priority, p.Title, p.Message, p.QuickReplies, p.State, p.Locale, p.Strategy, p.Facts,
        p.CreatedAt, p.ReplyTo, p.DeliverAt, p.ExpiresAt, p.Channel, p.SentAt, p.DeliveredAt, p.SeenAt, p.RespondedAt, p.ResponseValue, p.Generation, p.Deliveries);
}
