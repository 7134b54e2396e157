using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// Builds a user's <see cref="UserSnapshot"/> from their own partition (the source of truth) and
/// keeps their summary row current. Every write path calls <see cref="RefreshAsync"/> after it
/// commits; the summary's ETag is read before the partition, so when two writers race the one
/// that read older data loses the conditional write and rebuilds: the last summary written
/// always reflects every committed write.
/// </summary>
public sealed class UserSnapshots(StorageClients clients, StorageBootstrap bootstrap, UserSummaries summaries, CoachingEngine engine,
    TimeProvider time, ILogger<UserSnapshots> logger)
{
    /// <summary>How much completion history the summary keeps: enough for a 365-day milestone.</summary>
    public const int HistoryDays = 370;
    public static readonly TimeSpan RecentPromptWindow = TimeSpan.FromDays(8);
    public static readonly TimeSpan ContextWindow = TimeSpan.FromHours(48);
    public const int ActivitySamples = 30;
    private const int MaxAttempts = 5;

    private TableClient Table => clients.Table(StorageNames.UserDataTable);

    /// <summary>Rebuilds the summary from the partition and stores it with its next due instant.</summary>
    public async Task<UserSnapshot> RefreshAsync(string userId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await summaries.GetAsync(userId, ct);
            var snapshot = await LoadAsync(userId, current?.Snapshot.FirstSeenAt, ct);
            var now = time.GetUtcNow();
            var evaluation = engine.Evaluate(snapshot, now);
            // Something due right now is picked up by the next tick, not by this write.
            var next = evaluation.Planned.Count > 0 ? now : evaluation.NextCheckAt;
            if (await summaries.TrySaveAsync(snapshot, next, current?.ETag, ct)) return snapshot;
            if (attempt == MaxAttempts)
            {
                logger.LogWarning("Summary of user {UserId} kept changing; left for the next write to refresh.", userId);
                return snapshot;
            }
        }
    }

    /// <summary>The summary if there is one, else a fresh rebuild (a user the scan has not seen yet).</summary>
    public async Task<UserSnapshot> GetAsync(string userId, CancellationToken ct) =>
        (await summaries.GetAsync(userId, ct))?.Snapshot ?? await RefreshAsync(userId, ct);

    /// <summary>
    /// Everything the detectors and frequency control look at, read the way the seed's pseudo-code
    /// reads it (profile, habits, completions, prompts, events, interactions): six range queries. The
    /// scan never calls this; writes and the benchmark's naive design do.
    /// </summary>
    public async Task<UserSnapshot> LoadAsync(string userId, DateTimeOffset? firstSeenAt, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var now = time.GetUtcNow();
        var pk = $"PartitionKey eq '{Escape(userId)}'";

        // learned, preferences, profile sort next to each other: one range read.
        TableEntity? prefsRow = null, profile = null;
        await foreach (var e in Table.QueryAsync($"{pk} and RowKey ge '{RowKeys.Learned}' and RowKey le '{RowKeys.Profile}'", cancellationToken: ct))
        {
            if (e.RowKey == RowKeys.Preferences) prefsRow = e;
            else if (e.RowKey == RowKeys.Profile) profile = e;
        }
        var preferences = EntityMapping.ToPreferences(prefsRow);
        var zone = preferences.Zone;
        var clock = new LocalClock(now, zone);
        var floor = clock.Today.AddDays(-HistoryDays).ToString("yyyy-MM-dd");

        var habits = new List<Habit>();
        var days = new Dictionary<string, HashSet<DateOnly>>();
        var minutes = new Dictionary<string, Dictionary<DateOnly, int>>();
        var totals = new Dictionary<string, int>();
        var activity = new List<DateTimeOffset>();
        await foreach (var e in Table.QueryAsync(UserDataStore.PartitionRange(userId, RowKeys.HabitPrefix), cancellationToken: ct))
            habits.Add(EntityMapping.ToHabit(e));

        // Every completion row: old ones only add to the all-time total.
        await foreach (var e in Table.QueryAsync(UserDataStore.PartitionRange(userId, RowKeys.CompletionPrefix),
                           select: ["HabitId", "Date", "RecordedAt"], cancellationToken: ct))
        {
            if (e.GetString("HabitId") is not { } habitId || !DateOnly.TryParseExact(e.GetString("Date"), "yyyy-MM-dd", out var day)) continue;
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

        var recentPrompts = new List<PromptRecord>();
        // Prompt ids are inverted ticks: everything newer than the window sorts before this key.
        var promptFloor = RowKeys.PromptPrefix + InvertedTicks(now - RecentPromptWindow);
        await foreach (var e in Table.QueryAsync($"{pk} and RowKey ge '{RowKeys.PromptPrefix}' and RowKey lt '{promptFloor}'",
                           select: ["PromptId", "Type", "Priority", "HabitId", "DedupeKey", "CreatedAt", "DeliverAt", "State", "ReplyTo"], cancellationToken: ct))
        {
            // A follow-up answers the user; it is not the coach speaking up, so limits do not count it.
            if (e.GetString("ReplyTo") is not null) continue;
            recentPrompts.Add(new PromptRecord(e.GetString("PromptId")!, e.GetString("Type")!,
                Enum.Parse<Priority>(e.GetString("Priority")!, ignoreCase: true), e.GetString("HabitId"), e.GetString("DedupeKey")!,
                e.GetDateTimeOffset("DeliverAt") ?? e.GetDateTimeOffset("CreatedAt") ?? now, e.GetString("State") ?? PromptStates.Pending));
        }

        var pending = new List<ContextEvent>();
        await foreach (var e in Table.QueryAsync($"{pk} and RowKey ge '{RowKeys.EventPrefix}' and RowKey lt '{RowKeys.EventPrefix}{InvertedTicks(now - TimeSpan.FromDays(30))}'",
                           maxPerPage: ActivitySamples, cancellationToken: ct).AsPages(pageSizeHint: ActivitySamples))
        {
            // Newest first; one page of recent events is all the snapshot needs.
            foreach (var e2 in e.Values)
            {
                var at = e2.GetDateTimeOffset("At") ?? now;
                activity.Add(at);
                if (e2.GetString("Kind") == EventKinds.ContextChange && now - at <= ContextWindow)
                    pending.Add(new ContextEvent(e2.GetString("EventId")!, e2.GetString("Context") ?? "other", e2.GetString("Note"), at));
            }
            break;
        }

        await foreach (var interactions in Table.QueryAsync($"{pk} and {RowKeys.Range(RowKeys.InteractionPrefix)}", maxPerPage: ActivitySamples,
                           select: ["At"], cancellationToken: ct).AsPages(pageSizeHint: ActivitySamples))
        {
            activity.AddRange(interactions.Values.Select(e => e.GetDateTimeOffset("At")).OfType<DateTimeOffset>());
            break;
        }

        var earliestHabit = habits.Count == 0 ? (DateTimeOffset?)null : habits.Min(h => h.CreatedAt);
        return new UserSnapshot
        {
            UserId = userId,
            Preferences = preferences,
            Habits = habits,
            History = habits.ToDictionary(h => h.Id, h => new HabitHistory(
                days.GetValueOrDefault(h.Id) ?? [], minutes.GetValueOrDefault(h.Id) ?? [], totals.GetValueOrDefault(h.Id))),
            LastConversationAt = profile?.GetDateTimeOffset("LastConversationAt"),
            LastProgressAt = profile?.GetDateTimeOffset("LastProgressAt"),
            LastActivityAt = profile?.GetDateTimeOffset("LastActivityAt"),
            FirstSeenAt = new[] { firstSeenAt, earliestHabit, profile?.GetDateTimeOffset("FirstSeenAt"), now }.OfType<DateTimeOffset>().Min(),
            ActivityMinutes = activity.OrderByDescending(a => a).Take(ActivitySamples).Select(a => MinuteOfDay(a, zone)).ToList(),
            PendingContext = pending,
            RecentPrompts = recentPrompts,
        };
    }

    private static int MinuteOfDay(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.Hour * 60 + local.Minute;
    }

    internal static string InvertedTicks(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19");

    private static string Escape(string value) => value.Replace("'", "''");
}
