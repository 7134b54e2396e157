using Azure;
using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Learning;
using CoachFunctions.Coaching.Responses;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// Reads and writes one user's preferences, habits, completions and events in the UserData table.
/// Every method takes the user id from the caller's identity, and every key is in that user's
/// partition: nothing here can reach another user's rows. Every write refreshes the user's summary.
/// </summary>
public sealed class UserDataStore(StorageClients clients, StorageBootstrap bootstrap, UserSnapshots snapshots)
{
    private TableClient Table => clients.Table(StorageNames.UserDataTable);

    public async Task<UserPreferences> GetPreferencesAsync(string userId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(userId, RowKeys.Preferences, cancellationToken: ct);
        return EntityMapping.ToPreferences(row.HasValue ? row.Value : null);
    }

    public async Task SavePreferencesAsync(string userId, UserPreferences preferences, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await Table.UpsertEntityAsync(EntityMapping.ToEntity(userId, preferences), TableUpdateMode.Replace, ct);
        await snapshots.RefreshAsync(userId, ct);
    }

    public async Task<LearnedStyle> GetLearnedAsync(string userId, CancellationToken ct) => (await GetLearningAsync(userId, ct)).Learned;

    /// <summary>The learned style and the learning marks stored beside it on the same row.</summary>
    public async Task<(LearnedStyle Learned, LearningMarks Marks)> GetLearningAsync(string userId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(userId, RowKeys.Learned, cancellationToken: ct);
        var e = row.HasValue ? row.Value : null;
        return (EntityMapping.ToLearned(e), new LearningMarks(e?.GetDateTimeOffset("DistilledAt"), e?.GetDateTimeOffset("ResetAt")));
    }

    /// <summary>Replaces the learned style, keeping the learning marks.</summary>
    public async Task SaveLearnedAsync(string userId, LearnedStyle learned, CancellationToken ct) =>
        await SaveLearnedAsync(userId, learned, (await GetLearningAsync(userId, ct)).Marks, ct);

    /// <summary>
    /// Replaces the learned style and its marks. Not part of the scan's summary: prompt generation
    /// reads it when it composes a prompt, so no summary refresh is needed.
    /// </summary>
    public async Task SaveLearnedAsync(string userId, LearnedStyle learned, LearningMarks marks, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await Table.UpsertEntityAsync(LearnedEntity(userId, learned, marks), TableUpdateMode.Replace, ct);
    }

    private static TableEntity LearnedEntity(string userId, LearnedStyle learned, LearningMarks marks)
    {
        var row = EntityMapping.ToEntity(userId, learned);
        row["DistilledAt"] = marks.DistilledAt;
        row["ResetAt"] = marks.ResetAt;
        return row;
    }

    /// <summary>Stores feedback on a prompt with the activity it means, atomically.</summary>
    public Task AddFeedbackAsync(string userId, FeedbackItem item, CancellationToken ct) => AddFeedbackAsync(userId, item, null, null, ct);

    /// <summary>
    /// Stores feedback on a prompt with the activity it means and, in the same transaction, the
    /// learned style distilled with it (when this item made distillation due) and the request's
    /// idempotency record (when it carried a key): all of it commits, or none.
    /// </summary>
    public async Task AddFeedbackAsync(string userId, FeedbackItem item, (LearnedStyle Learned, LearningMarks Marks)? distilled,
        TableTransactionAction? idempotencyRecord, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var actions = new List<TableTransactionAction>
        {
            // No HabitId or Date columns: feedback_ rows sit inside the range the summary reads completions from.
            new(TableTransactionActionType.Add, new TableEntity(userId, $"{RowKeys.FeedbackPrefix}{UserSnapshots.InvertedTicks(item.At)}{item.Id[..8]}")
            {
                ["FeedbackId"] = item.Id,
                ["PromptId"] = item.PromptId,
                ["Kind"] = item.Kind,
                ["Text"] = item.Text,
                ["PromptType"] = item.PromptType,
                ["Strategy"] = item.Strategy,
                ["MessageLength"] = item.MessageLength,
                ["At"] = item.At,
            }),
            new(TableTransactionActionType.UpsertMerge, Activity(userId, item.At, progress: false)),
        };
        if (distilled is var (learned, marks)) actions.Add(new(TableTransactionActionType.UpsertReplace, LearnedEntity(userId, learned, marks)));
        if (idempotencyRecord is not null) actions.Add(idempotencyRecord);
        await Table.SubmitInOnePartitionAsync(actions, ct);
        await snapshots.RefreshAsync(userId, ct);
    }

    /// <summary>The user's feedback newer than <paramref name="after"/> (all when null), newest first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<FeedbackItem>> ListFeedbackAsync(string userId, DateTimeOffset? after, int max, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        // Row keys are inverted ticks: everything newer than "after" sorts before its key.
        var upper = after is { } a ? RowKeys.FeedbackPrefix + UserSnapshots.InvertedTicks(a) : RowKeys.End(RowKeys.FeedbackPrefix);
        var items = new List<FeedbackItem>();
        await foreach (var e in Table.QueryAsync<TableEntity>(PartitionQueries.Between(userId, RowKeys.FeedbackPrefix, upper), maxPerPage: Math.Min(max, 1000), cancellationToken: ct))
        {
            items.Add(new FeedbackItem(e.GetString("FeedbackId")!, e.GetString("PromptId")!, e.GetString("Kind")!, e.GetString("Text"),
                e.GetString("PromptType") ?? "", e.GetString("Strategy") ?? "", e.GetInt32("MessageLength") ?? 0, e.GetDateTimeOffset("At") ?? default));
            if (items.Count >= max) break;
        }
        return items;
    }

    public async Task<IReadOnlyList<Habit>> ListHabitsAsync(string userId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var habits = new List<Habit>();
        await foreach (var e in Table.QueryAsync<TableEntity>(PartitionQueries.Prefix(userId, RowKeys.HabitPrefix), cancellationToken: ct))
            habits.Add(EntityMapping.ToHabit(e));
        return habits;
    }

    /// <summary>
    /// The local dates each habit was done on, from <paramref name="since"/> on, for all the user's
    /// habits at once: one range query over the completion rows (with only the two columns read),
    /// not one per habit. Rows of deleted habits come back too; the caller keys by the habits it has.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, HashSet<DateOnly>>> ListCompletionDatesAsync(string userId, DateOnly since, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var filter = PartitionQueries.Prefix(userId, RowKeys.CompletionPrefix) + " and " + TableClient.CreateQueryFilter($"Date ge {since.ToString("yyyy-MM-dd")}");
        var days = new Dictionary<string, HashSet<DateOnly>>(StringComparer.Ordinal);
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, select: ["HabitId", "Date"], cancellationToken: ct))
        {
            if (e.GetString("HabitId") is not { } habitId || !DateOnly.TryParseExact(e.GetString("Date"), "yyyy-MM-dd", out var day)) continue;
            if (!days.TryGetValue(habitId, out var set)) days[habitId] = set = [];
            set.Add(day);
        }
        return days;
    }

    public async Task<(Habit Habit, ETag ETag)?> GetHabitAsync(string userId, string habitId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(userId, RowKeys.Habit(habitId), cancellationToken: ct);
        return row.HasValue ? (EntityMapping.ToHabit(row.Value!), row.Value!.ETag) : null;
    }

    public async Task AddHabitAsync(string userId, Habit habit, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await Table.SubmitInOnePartitionAsync(
        [
            new(TableTransactionActionType.Add, EntityMapping.ToEntity(userId, habit)),
            new(TableTransactionActionType.UpsertMerge, Activity(userId, habit.CreatedAt, progress: false)),
        ], ct);
        await snapshots.RefreshAsync(userId, ct);
    }

    /// <summary>Replaces a habit only if it is unchanged since it was read; false when it changed or vanished.</summary>
    public async Task<bool> TryUpdateHabitAsync(string userId, Habit habit, ETag etag, CancellationToken ct)
    {
        try
        {
            await Table.UpdateEntityAsync(EntityMapping.ToEntity(userId, habit), etag, TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
        await snapshots.RefreshAsync(userId, ct);
        return true;
    }

    /// <summary>
    /// Deletes a habit (its past completions stay as history); false when it changed since it was read.
    /// One that vanished meanwhile counts as deleted: the SDK answers that with its 404 rather than an
    /// exception, so a DELETE that raced another one still succeeds.
    /// </summary>
    public async Task<bool> TryDeleteHabitAsync(string userId, string habitId, ETag etag, CancellationToken ct)
    {
        try
        {
            await Table.DeleteEntityAsync(userId, RowKeys.Habit(habitId), etag, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
        await snapshots.RefreshAsync(userId, ct);
        return true;
    }

    /// <summary>Records a completion with the activity it implies; false when that habit was already done that day.</summary>
    public async Task<bool> TryAddCompletionAsync(string userId, HabitCompletion completion, DateTimeOffset at, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        try
        {
            await Table.SubmitInOnePartitionAsync(
            [
                new(TableTransactionActionType.Add, CompletionEntity(userId, completion, at)),
                new(TableTransactionActionType.UpsertMerge, Activity(userId, at, progress: true)),
            ], ct);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex == 0)
        {
            return false;
        }
        await snapshots.RefreshAsync(userId, ct);
        return true;
    }

    /// <summary>Stores an event the app reported and the activity it means, atomically.</summary>
    public async Task<string> AddEventAsync(string userId, string kind, string? context, string? note, DateTimeOffset at, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var eventId = Guid.NewGuid().ToString("N");
        var profile = Activity(userId, at, progress: kind == EventKinds.Progress);
        if (kind == EventKinds.Conversation) profile["LastConversationAt"] = at;
        await Table.SubmitInOnePartitionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity(userId, $"{RowKeys.EventPrefix}{UserSnapshots.InvertedTicks(at)}{eventId[..8]}")
            {
                ["EventId"] = eventId,
                ["Kind"] = kind,
                ["Context"] = context,
                ["Note"] = note,
                ["At"] = at,
            }),
            new(TableTransactionActionType.UpsertMerge, profile),
        ], ct);
        await snapshots.RefreshAsync(userId, ct);
        return eventId;
    }

    /// <summary>The profile columns an activity sets; merged so other columns survive.</summary>
    internal static TableEntity Activity(string userId, DateTimeOffset at, bool progress)
    {
        var profile = new TableEntity(userId, RowKeys.Profile) { ["LastActivityAt"] = at };
        if (progress) profile["LastProgressAt"] = at;
        return profile;
    }

    internal static TableEntity CompletionEntity(string userId, HabitCompletion c, DateTimeOffset at) =>
        new(userId, RowKeys.Completion(c.HabitId, c.Date))
        {
            ["HabitId"] = c.HabitId,
            ["Date"] = c.Date.ToString("yyyy-MM-dd"),
            ["RecordedAt"] = at,
        };
}

/// <summary>
/// When feedback was last distilled (newer feedback is "new") and when the learned part was last
/// reset (older feedback is forgotten).
/// </summary>
public sealed record LearningMarks(DateTimeOffset? DistilledAt, DateTimeOffset? ResetAt);
