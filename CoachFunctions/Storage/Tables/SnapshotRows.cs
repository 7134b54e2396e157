using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Responses;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// The rows of one user's partition that a <see cref="UserSnapshot"/> is made of, and the one place
/// that turns them into it. <see cref="UserSnapshots.LoadAsync"/> reads them with range queries; the
/// benchmark's naive design reads and seeds the same rows, so both judge identical facts.
/// </summary>
internal sealed record SnapshotRows(
    string UserId,
    TableEntity? Preferences,
    TableEntity? Profile,
    IReadOnlyList<TableEntity> Habits,
    IReadOnlyList<TableEntity> Completions,
    IReadOnlyList<TableEntity> Prompts,
    IReadOnlyList<TableEntity> Events,
    IReadOnlyList<TableEntity> Interactions)
{
    public UserSnapshot ToSnapshot(DateTimeOffset now, DateTimeOffset? firstSeenAt)
    {
        var preferences = EntityMapping.ToPreferences(Preferences);
        var zone = preferences.Zone;
        var clock = new LocalClock(now, zone);
        var floor = clock.Today.AddDays(-UserSnapshots.HistoryDays).ToString("yyyy-MM-dd");

        var habits = Habits.OrderBy(h => h.RowKey, StringComparer.Ordinal).Select(EntityMapping.ToHabit).ToList();
        var days = new Dictionary<string, HashSet<DateOnly>>();
        var minutes = new Dictionary<string, Dictionary<DateOnly, int>>();
        var totals = new Dictionary<string, int>();
        var activity = new List<DateTimeOffset>();
        foreach (var e in Completions)
        {
            if (e.GetString("HabitId") is not { } habitId || !DateOnly.TryParseExact(e.GetString("Date"), "yyyy-MM-dd", out var day)) continue;
            // Old completions only add to the all-time total.
            totals[habitId] = totals.GetValueOrDefault(habitId) + 1;
            if (string.CompareOrdinal(e.GetString("Date"), floor) < 0) continue;
            if (!days.TryGetValue(habitId, out var set)) days[habitId] = set = [];
            set.Add(day);
            if (e.GetDateTimeOffset("RecordedAt") is { } recorded && clock.DateOf(recorded) == day)
            {
                // Only live check-ins say what time of day the habit happens; back-filled dates do not.
                if (!minutes.TryGetValue(habitId, out var m)) minutes[habitId] = m = [];
                m[day] = MinuteOfDay(recorded, zone);
                activity.Add(recorded);
            }
        }

        var recentPrompts = Prompts
            .Where(e => e.GetString("ReplyTo") is null) // a follow-up answers the user; limits do not count it
            .OrderBy(e => e.RowKey, StringComparer.Ordinal)
            .Select(e => new PromptRecord(e.GetString("PromptId")!, e.GetString("Type")!,
                Enum.Parse<Priority>(e.GetString("Priority")!, ignoreCase: true), e.GetString("HabitId"), e.GetString("DedupeKey")!,
                e.GetDateTimeOffset("DeliverAt") ?? e.GetDateTimeOffset("CreatedAt") ?? now, e.GetString("State") ?? PromptStates.Pending))
            .ToList();
        // Row keys are "prompt_" + id, so ordering by id is ordering by row key: newest first.

        var pending = new List<ContextEvent>();
        foreach (var e in Events)
        {
            var at = e.GetDateTimeOffset("At") ?? now;
            activity.Add(at);
            if (e.GetString("Kind") == EventKinds.ContextChange && now - at <= UserSnapshots.ContextWindow)
                pending.Add(new ContextEvent(e.GetString("EventId")!, e.GetString("Context") ?? "other", e.GetString("Note"), at));
        }
        activity.AddRange(Interactions.Select(e => e.GetDateTimeOffset("At")).OfType<DateTimeOffset>());

        var earliestHabit = habits.Count == 0 ? (DateTimeOffset?)null : habits.Min(h => h.CreatedAt);
        return new UserSnapshot
        {
            UserId = UserId,
            Preferences = preferences,
            Habits = habits,
            History = habits.ToDictionary(h => h.Id, h => new HabitHistory(
                days.GetValueOrDefault(h.Id) ?? [], minutes.GetValueOrDefault(h.Id) ?? [], totals.GetValueOrDefault(h.Id))),
            LastConversationAt = Profile?.GetDateTimeOffset("LastConversationAt"),
            LastProgressAt = Profile?.GetDateTimeOffset("LastProgressAt"),
            LastActivityAt = Profile?.GetDateTimeOffset("LastActivityAt"),
            FirstSeenAt = new[] { firstSeenAt, earliestHabit, Profile?.GetDateTimeOffset("FirstSeenAt"), now }.OfType<DateTimeOffset>().Min(),
            ActivityMinutes = activity.OrderByDescending(a => a).Take(UserSnapshots.ActivitySamples).Select(a => MinuteOfDay(a, zone)).ToList(),
            PendingContext = pending,
            RecentPrompts = recentPrompts,
        };
    }

    /// <summary>A stored prompt as the summary lists it (what a rebuild reads from its row); null for a follow-up, which limits do not count.</summary>
    public static PromptRecord? RecordOf(CoachingPrompt p) => p.ReplyTo is not null ? null
        : new PromptRecord(p.Id, p.Type, p.Priority, p.Facts.HabitId, p.DedupeKey, p.DeliverAt ?? p.CreatedAt, p.State);

    /// <summary>
    /// A summary with <paramref name="prompt"/> listed (or replaced) where a rebuild would list it:
    /// recent prompts newest first, ordered by id as their row keys are.
    /// </summary>
    public static UserSnapshot WithPrompt(UserSnapshot snapshot, CoachingPrompt prompt) => RecordOf(prompt) is not { } record ? snapshot : snapshot with
    {
        RecentPrompts = snapshot.RecentPrompts.Where(p => p.Id != record.Id).Append(record).OrderBy(p => p.Id, StringComparer.Ordinal).ToList(),
    };

    /// <summary>
    /// A summary with an answer applied where a rebuild would read it: the answered prompt's new
    /// state (responded, or scheduled again at the snooze's end), the conversation and activity the
    /// answer is (and progress, with a completion), the interaction's instant and a live completion's
    /// among the activity samples, the completion among its habit's days. Follow-ups and
    /// interruptions are not part of a summary. Null when the answer cannot be applied in place
    /// exactly: a completion for a day already done (its row's recorded instant moves, and the old
    /// instant is not in the summary to take out), for a habit the summary does not list, or an
    /// answered prompt a rebuild would list but the summary does not (it missed a write: rebuilt, it heals).
    /// </summary>
    public static UserSnapshot? WithAnswer(UserSnapshot s, CoachingPrompt answered, ResponsePlan plan, DateTimeOffset at)
    {
        var zone = s.Preferences.Zone;
        if (answered.ReplyTo is null && !s.RecentPrompts.Any(p => p.Id == answered.Id)
            && string.CompareOrdinal(answered.Id, UserSnapshots.InvertedTicks(at - UserSnapshots.RecentPromptWindow)) < 0)
            return null;
        var history = s.History;
        var samples = new List<DateTimeOffset> { at }; // the interaction
        if (plan.Completion is { } completion)
        {
            if (!history.TryGetValue(completion.HabitId, out var habit) || habit.Days.Contains(completion.Date)) return null;
            var live = LocalClock.DateOf(at, zone) == completion.Date;
            history = new Dictionary<string, HabitHistory>(history)
            {
                [completion.HabitId] = new HabitHistory(
                    new HashSet<DateOnly>(habit.Days) { completion.Date },
                    live ? new Dictionary<DateOnly, int>(habit.MinuteOfDay) { [completion.Date] = MinuteOfDay(at, zone) } : habit.MinuteOfDay,
                    habit.Total + 1),
            };
            if (live) samples.Add(at);
        }
        var state = plan.SnoozeUntil is null ? PromptStates.Responded : PromptStates.Scheduled;
        return s with
        {
            RecentPrompts = s.RecentPrompts.Select(p => p.Id != answered.Id ? p : p with { State = state, At = plan.SnoozeUntil ?? p.At }).ToList(),
            LastConversationAt = at,
            LastActivityAt = at,
            LastProgressAt = plan.Completion is null ? s.LastProgressAt : at,
            History = history,
            ActivityMinutes = samples.Select(a => MinuteOfDay(a, zone)).Concat(s.ActivityMinutes).Take(UserSnapshots.ActivitySamples).ToList(),
        };
    }

    /// <summary>
    /// A summary changed in place (not rebuilt) cut to the windows a rebuild at <paramref name="now"/>
    /// reads: prompts of the last <see cref="UserSnapshots.RecentPromptWindow"/>, completion days of the
    /// last <see cref="UserSnapshots.HistoryDays"/> local days (totals keep them), context events of the
    /// last <see cref="UserSnapshots.ContextWindow"/>.
    /// </summary>
    public static UserSnapshot Windowed(UserSnapshot s, DateTimeOffset now)
    {
        var floor = new LocalClock(now, s.Preferences.Zone).Today.AddDays(-UserSnapshots.HistoryDays);
        var newest = UserSnapshots.InvertedTicks(now - UserSnapshots.RecentPromptWindow);
        return s with
        {
            RecentPrompts = s.RecentPrompts.Where(p => string.CompareOrdinal(p.Id, newest) < 0).ToList(),
            History = s.History.ToDictionary(kv => kv.Key, kv => kv.Value with
            {
                Days = kv.Value.Days.Where(d => d >= floor).ToHashSet(),
                MinuteOfDay = kv.Value.MinuteOfDay.Where(m => m.Key >= floor).ToDictionary(m => m.Key, m => m.Value),
            }),
            PendingContext = s.PendingContext.Where(e => now - e.At <= UserSnapshots.ContextWindow).ToList(),
        };
    }

    private static int MinuteOfDay(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.Hour * 60 + local.Minute;
    }
}
