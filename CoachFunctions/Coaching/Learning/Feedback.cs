namespace CoachFunctions.Coaching.Learning;

/// <summary>Seed 003's explicit feedback on a prompt.</summary>
public static class FeedbackKinds
{
    public const string Like = "like";
    public const string Dislike = "dislike";

    /// <summary>The user says what should change, in their own words (required text).</summary>
    public const string Correction = "correction";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Like, Dislike, Correction };

    public const int MaxTextLength = 500;
}

/// <summary>
/// One piece of feedback with what it was about: the prompt's type, how it was written (strategy)
/// and how long its message was, which is what the distiller learns style from.
/// </summary>
public sealed record FeedbackItem(
    string Id,
    string PromptId,
    string Kind,
    string? Text,
    string PromptType,
    string Strategy,
    int MessageLength,
    DateTimeOffset At);
