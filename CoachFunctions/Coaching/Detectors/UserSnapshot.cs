namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// What the detectors and frequency control may look at for one user: no storage, no hosting, just
/// facts. The scan builds it from the user's one-row summary, so everything here is bounded
/// (recent history only).
/// </summary>
public sealed record UserSnapshot
{
    public required string UserId { get; init; }
    public UserPreferences Preferences { get; init; } = UserPreferences.Default;
    public IReadOnlyList<Habit> Habits { get; init; } = [];

    /// <summary>Recent completions per habit id.</summary>
    public IReadOnlyDictionary<string, HabitHistory> History { get; init; } = new Dictionary<string, HabitHistory>();

    /// <summary>The last time the user talked with the coach (a response, a conversation event).</summary>
    public DateTimeOffset? LastConversationAt { get; init; }

    /// <summary>The last progress of any kind: a completion or a progress event.</summary>
    public DateTimeOffset? LastProgressAt { get; init; }

    /// <summary>The last activity of any kind: anything the user did through the API.</summary>
    public DateTimeOffset? LastActivityAt { get; init; }

    /// <summary>When the coach first knew this user; quiet newcomers are not "silent" or "stalled".</summary>
    public DateTimeOffset? FirstSeenAt { get; init; }

    /// <summary>Local minute-of-day (0-1439) of recent activity, newest first: what active hours are learned from.</summary>
    public IReadOnlyList<int> ActivityMinutes { get; init; } = [];

    /// <summary>Context events the app reported (travel, illness, ...) that the coach has not yet spoken to.</summary>
    public IReadOnlyList<ContextEvent> PendingContext { get; init; } = [];

    /// <summary>Prompts of the last eight days, newest first: what frequency control counts.</summary>
    public IReadOnlyList<PromptRecord> RecentPrompts { get; init; } = [];

    public IReadOnlySet<DateOnly> CompletionsOf(string habitId) =>
        History.TryGetValue(habitId, out var h) ? h.Days : EmptyDays;

    private static readonly IReadOnlySet<DateOnly> EmptyDays = new HashSet<DateOnly>();
}

/// <summary>
/// A habit's recent completions: the local dates, the local minute-of-day each was recorded at when
/// it was recorded live (back-filled dates have none), and the all-time total.
/// </summary>
public sealed record HabitHistory(IReadOnlySet<DateOnly> Days, IReadOnlyDictionary<DateOnly, int> MinuteOfDay, int Total)
{
    public static readonly HabitHistory Empty = new(new HashSet<DateOnly>(), new Dictionary<DateOnly, int>(), 0);
}

/// <summary>Something the app reported about the user's life (spec §6 events, kind context_change).</summary>
public sealed record ContextEvent(string Id, string Kind, string? Note, DateTimeOffset At);

/// <summary>
/// A prompt as frequency control sees it. <see cref="At"/> is when it went or goes out (the end of
/// quiet hours for a scheduled prompt), so deferred prompts count where they land.
/// </summary>
public sealed record PromptRecord(string Id, string Type, Priority Priority, string? HabitId, string DedupeKey, DateTimeOffset At, string State);
