namespace CoachFunctions.Coaching;

/// <summary>
/// What the coach learned from the user's likes, dislikes and corrections (seed 003): a style
/// (<see cref="Styles"/>) and short rules. It is one layer of the composed LLM prompt, shown in
/// the preferences and resettable.
/// </summary>
public sealed record LearnedStyle
{
    public string? Style { get; init; }
    public IReadOnlyList<string> Rules { get; init; } = [];

    /// <summary>How much feedback this was distilled from, and when.</summary>
    public int FeedbackCount { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Style is null && Rules.Count == 0;

    public static readonly LearnedStyle None = new();
}

public static class Styles
{
    public const string Concise = "concise";
    public const string Detailed = "detailed";
    public const string Warm = "warm";
    public const string Direct = "direct";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Concise, Detailed, Warm, Direct };
}
