using CoachFunctions.Coaching.Channels;
using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Coaching;

/// <summary>A message from the coach to one user, with the replies it offers.</summary>
public sealed record CoachingPrompt
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string Type { get; init; }
    public required Priority Priority { get; init; }
    public required double Confidence { get; init; }
    public required string Title { get; init; }
    public required string Message { get; init; }
    public required IReadOnlyList<QuickReply> QuickReplies { get; init; }
    public required string Locale { get; init; }
    public required string Strategy { get; init; }
    public required string DedupeKey { get; init; }
    public required DetectionFacts Facts { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string State { get; init; } = PromptStates.Pending;

    /// <summary>When it should go out (later than <see cref="CreatedAt"/> when quiet hours held it) and when it goes stale.</summary>
    public DateTimeOffset? DeliverAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    public string? Channel { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public DateTimeOffset? SeenAt { get; init; }
    public DateTimeOffset? RespondedAt { get; init; }
    public string? ResponseValue { get; init; }

    /// <summary>Every try on a channel other than a plain in-app push (spec §4), oldest first, bounded: <see cref="DeliveryAttempt"/>.</summary>
    public IReadOnlyList<DeliveryAttempt> Deliveries { get; init; } = [];

    /// <summary>
    /// Set on a follow-up: the id of the prompt whose answer it replies to. Follow-ups are part of a
    /// conversation the user started, so frequency control does not count them.
    /// </summary>
    public string? ReplyTo { get; init; }

    /// <summary>How the words were made: the LLM's model, tokens and latency, and why the template served if it fell back.</summary>
    public GenerationInfo Generation { get; init; } = GenerationInfo.Template;

    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } at && now >= at;
}

/// <summary>
/// The generation record of one prompt (spec §3): <see cref="FallbackReason"/> is set when the
/// strategy asked for the LLM but the template served (timeout, error, invalid output).
/// </summary>
public sealed record GenerationInfo
{
    public static readonly GenerationInfo Template = new();

    public string? Model { get; init; }
    public int? PromptTokens { get; init; }
    public int? CompletionTokens { get; init; }
    public double? LatencyMs { get; init; }
    public int Attempts { get; init; }
    public string? FallbackReason { get; init; }
}

/// <summary>A one-tap answer: <see cref="Text"/> is shown, <see cref="Value"/> is the action sent back.</summary>
public sealed record QuickReply(string Text, string Value);
