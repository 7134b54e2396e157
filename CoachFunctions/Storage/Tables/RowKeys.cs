namespace CoachFunctions.Storage.Tables;

/// <summary>
/// Row key layout of the UserData table (partition = user id). Prefixes keep each kind in its own
/// contiguous range, so "all habits" or "prompts newest first" is one range query.
/// </summary>
internal static class RowKeys
{
    public const string Preferences = "preferences";
    public const string Profile = "profile";
    public const string Learned = "learned";
    public const string EventPrefix = "event_";
    public const string FeedbackPrefix = "feedback_";
    public const string HabitPrefix = "habit_";
    public const string CompletionPrefix = "done_";
    public const string PromptPrefix = "prompt_";
    public const string DedupePrefix = "dedupe_";
    public const string InteractionPrefix = "interaction_";
    public const string InterruptionPrefix = "interruption_";
    public const string IdempotencyPrefix = "idem_";

    public static string Habit(string habitId) => HabitPrefix + habitId;
    public static string Completion(string habitId, DateOnly day) => $"{CompletionPrefix}{habitId}_{day:yyyy-MM-dd}";
    public static string Interruption(string habitId, DateOnly day) => $"{InterruptionPrefix}{habitId}_{day:yyyy-MM-dd}";
    public static string Prompt(string promptId) => PromptPrefix + promptId;
    public static string Dedupe(string hash) => DedupePrefix + hash;

    /// <summary>The exclusive upper bound of a prefix range: the prefix with its last character bumped.</summary>
    public static string End(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}
