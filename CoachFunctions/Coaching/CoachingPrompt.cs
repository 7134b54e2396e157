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
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? RespondedAt { get; init; }
    public string? ResponseValue { get; init; }
}

/// <summary>A one-tap answer: <see cref="Text"/> is shown, <see cref="Value"/> is the action sent back.</summary>
public sealed record QuickReply(string Text, string Value);
