namespace CoachFunctions.Coaching;

/// <summary>The moments the coach speaks up for (spec §1). Wire names are the seeds' snake_case names.</summary>
public static class PromptTypes
{
    public const string DailyCheckin = "daily_checkin";
    public const string HabitMissed = "habit_missed";
    public const string ProgressStalled = "progress_stalled";
    public const string WeeklyReview = "weekly_review";
    public const string MilestoneReached = "milestone_reached";
    public const string SilentPeriod = "silent_period";
    public const string PatternChange = "pattern_change";
    public const string ContextChange = "context_change";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        DailyCheckin, HabitMissed, ProgressStalled, WeeklyReview, MilestoneReached, SilentPeriod, PatternChange, ContextChange,
    };

    /// <summary>Spec §2: enabled unless the user says otherwise.</summary>
    public static readonly IReadOnlyList<string> EnabledByDefault = [DailyCheckin, HabitMissed, WeeklyReview, MilestoneReached];
}

public enum Priority
{
    Low = 0,
    Medium = 1,
    High = 2,
}
