using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Coaching.Responses;

/// <summary>
/// What answering a prompt changes: the follow-up to say (title, message, the replies it offers),
/// where the conversation goes next (seed 000's <c>next_step</c>), and the habit completion,
/// interruption or snooze to record.
/// </summary>
public sealed record ResponsePlan(string Action, string FollowUp, HabitCompletion? Completion)
{
    public string NextStep { get; init; } = NextSteps.Continue;
    public string FollowUpTitle { get; init; } = "";
    public IReadOnlyList<QuickReply> FollowUpReplies { get; init; } = [];
    public HabitInterruption? Interruption { get; init; }

    /// <summary><c>later</c>: the prompt stays open and goes out again at this instant.</summary>
    public DateTimeOffset? SnoozeUntil { get; init; }

    /// <summary><c>complete_now</c>: the streak including today's completion.</summary>
    public int? Streak { get; init; }
}

/// <summary>A habit done on a local calendar date.</summary>
public sealed record HabitCompletion(string HabitId, DateOnly Date);

/// <summary>A habit the user chose to skip on a local date (seed 000: report an interruption), and why.</summary>
public sealed record HabitInterruption(string HabitId, DateOnly Date, string Reason);

/// <summary>Where the conversation goes after an answer; the names follow seed 000.</summary>
public static class NextSteps
{
    public const string CelebrateCompletion = "celebrate_completion";
    public const string RecoveryPlan = "recovery_plan";
    public const string HabitAdjustment = "habit_adjustment_flow";
    public const string CoachingDialogue = "coaching_dialogue";
    public const string PlanSharing = "plan_sharing";
    public const string ProgressReview = "progress_review";
    public const string Encouragement = "encouragement";
    public const string Deferred = "deferred";
    public const string Continue = "continue_coaching";
}

/// <summary>Why an answer was refused; the API turns each into a clear problem.</summary>
public enum ResponseRefusal
{
    AlreadyAnswered,
    NotOpen,
    UnknownReply,
    NoHabit,
    Dismissed,
    Expired,

    /// <summary><c>later</c> would move the prompt past its expiry.</summary>
    WouldExpire,
}

/// <summary>
/// What the planner may look at besides the prompt: the instant, the user's local date and
/// preferences, their habits and recent completions (from the scan summary), and how long
/// <c>later</c> snoozes.
/// </summary>
public sealed record ResponseContext(DateTimeOffset Now, DateOnly Today, UserPreferences Preferences)
{
    public static readonly TimeSpan DefaultSnooze = TimeSpan.FromHours(2);

    public IReadOnlyList<Habit> Habits { get; init; } = [];
    public IReadOnlyDictionary<string, HabitHistory> History { get; init; } = new Dictionary<string, HabitHistory>();
    public TimeSpan Snooze { get; init; } = DefaultSnooze;
}
