namespace CoachFunctions.Coaching;

/// <summary>What the app reports through the events API (spec §6).</summary>
public static class EventKinds
{
    /// <summary>The user talked with the coach outside a prompt: counts as today's check-in.</summary>
    public const string Conversation = "conversation";

    /// <summary>Progress the app saw (not a habit completion): ends a stall.</summary>
    public const string Progress = "progress";

    /// <summary>Something changed in the user's life; the coach speaks to it (context_change).</summary>
    public const string ContextChange = "context_change";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Conversation, Progress, ContextChange };
}

/// <summary>The kinds of context change an app may report; anything else is "other".</summary>
public static class ContextKinds
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "travel", "illness", "schedule_change", "stress", "celebration", "other",
    };
}
