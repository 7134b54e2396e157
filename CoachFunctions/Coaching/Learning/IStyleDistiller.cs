namespace CoachFunctions.Coaching.Learning;

/// <summary>
/// Turns a user's recent feedback into a <see cref="LearnedStyle"/> (seed 003). The counting
/// distiller always works; an LLM distiller can be plugged in behind this interface and fall back
/// to counting.
/// </summary>
public interface IStyleDistiller
{
    /// <param name="feedback">Newest first, bounded (see <see cref="LearningPolicy.MaxFeedback"/>).</param>
    Task<LearnedStyle> DistillAsync(IReadOnlyList<FeedbackItem> feedback, DateTimeOffset now, CancellationToken ct);
}

/// <summary>When to distil and how much to look at.</summary>
public static class LearningPolicy
{
    /// <summary>Distil automatically once this much new feedback has come in since the last time.</summary>
    public const int NewFeedbackThreshold = 5;

    /// <summary>The most recent feedback considered (seed 003: the last 50).</summary>
    public const int MaxFeedback = 50;

    public const int MaxRules = 5;
    public const int MaxRuleLength = 200;
}
