using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;

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

    private static int MinuteOfDay(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.Hour * 60 + local.Minute;
    }
}
