using System.Text.RegularExpressions;

namespace CoachFunctions.Coaching.Learning;

/// <summary>
/// Distils feedback by counting, with no LLM: likes and dislikes vote for a style by the length of
/// the message they were about (disliking long messages asks for concise ones, liking them for
/// detailed ones), corrections vote by keywords in English and Chinese and count double (the user
/// said it in words). The style needs at least two votes and a lead; a tie goes to the style with
/// the most recent vote. Rules are the most recent corrections, cleaned and shortened.
/// </summary>
public sealed partial class CountingStyleDistiller : IStyleDistiller
{
    /// <summary>Messages longer than this count as long; at most <see cref="ShortMessage"/> as short.</summary>
    public const int LongMessage = 120;
    public const int ShortMessage = 60;
    private const int MinVotes = 2;

    private static readonly (string Style, string[] Keywords)[] Keywords =
    [
        (Styles.Concise, ["shorter", "concise", "brief", "too long", "too wordy", "less text", "fewer words", "too much detail", "简短", "简洁", "短一点", "太长", "啰嗦"]),
        (Styles.Detailed, ["more detail", "more details", "detailed", "elaborate", "longer", "explain more", "too short", "详细", "具体一点", "多说", "太短"]),
        (Styles.Warm, ["warm", "gentle", "kinder", "softer", "friendlier", "温柔", "温暖", "亲切", "委婉"]),
        (Styles.Direct, ["direct", "straight", "to the point", "blunt", "no fluff", "直接", "干脆", "直说"]),
    ];

    public Task<LearnedStyle> DistillAsync(IReadOnlyList<FeedbackItem> feedback, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult(Distill(feedback, now));

    public static LearnedStyle Distill(IReadOnlyList<FeedbackItem> feedback, DateTimeOffset now)
    {
        var newestFirst = feedback.OrderByDescending(f => f.At).Take(LearningPolicy.MaxFeedback).ToList();
        var votes = new Dictionary<string, (int Count, int Newest)>();
        void Vote(string style, int weight, int index)
        {
            var (count, newest) = votes.GetValueOrDefault(style, (0, int.MaxValue));
            votes[style] = (count + weight, Math.Min(newest, index));
        }

        for (var i = 0; i < newestFirst.Count; i++)
        {
            var f = newestFirst[i];
            switch (f.Kind)
            {
                case FeedbackKinds.Like when f.MessageLength > LongMessage: Vote(Styles.Detailed, 1, i); break;
                case FeedbackKinds.Like when f.MessageLength <= ShortMessage: Vote(Styles.Concise, 1, i); break;
                case FeedbackKinds.Dislike when f.MessageLength > LongMessage: Vote(Styles.Concise, 1, i); break;
                case FeedbackKinds.Dislike when f.MessageLength <= ShortMessage: Vote(Styles.Detailed, 1, i); break;
            }
            if (f.Text is { } text)
            {
                var lower = text.ToLowerInvariant();
                foreach (var (style, words) in Keywords)
                    if (words.Any(w => lower.Contains(w, StringComparison.Ordinal)))
                        Vote(style, f.Kind == FeedbackKinds.Correction ? 2 : 1, i);
            }
        }

        var ranked = votes.Where(v => v.Value.Count >= MinVotes)
            .OrderByDescending(v => v.Value.Count).ThenBy(v => v.Value.Newest).Select(v => v.Key).ToList();

        var rules = newestFirst.Where(f => f.Kind == FeedbackKinds.Correction && !string.IsNullOrWhiteSpace(f.Text))
            .Select(f => Clean(f.Text!))
            .Where(r => r.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(LearningPolicy.MaxRules)
            .ToList();

        return new LearnedStyle
        {
            Style = ranked.FirstOrDefault(),
            Rules = rules,
            FeedbackCount = newestFirst.Count,
            UpdatedAt = now,
        };
    }

    /// <summary>One line, single spaces, at most <see cref="LearningPolicy.MaxRuleLength"/> characters.</summary>
    private static string Clean(string text)
    {
        var line = Whitespace().Replace(text, " ").Trim();
        return line.Length <= LearningPolicy.MaxRuleLength ? line : line[..(LearningPolicy.MaxRuleLength - 1)].TrimEnd() + "…";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
