using Azure;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Coaching.Responses;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// Reads and writes one user's data in the UserData table. Every method takes the user id from the
/// caller's identity, and every key is in that user's partition: nothing here can reach another
/// user's rows.
/// </summary>
public sealed class UserDataStore(StorageClients clients, StorageBootstrap bootstrap, UserDirectory directory)
{
    private TableClient Table => clients.Table(StorageNames.UserDataTable);

    public async Task<UserPreferences> GetPreferencesAsync(string userId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync(userId, RowKeys.Preferences, cancellationToken: ct);
        return EntityMapping.ToPreferences(row.HasValue ? row.Value : null);
    }

    public async Task SavePreferencesAsync(string userId, UserPreferences preferences, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await Table.UpsertEntityAsync(EntityMapping.ToEntity(userId, preferences), TableUpdateMode.Replace, ct);
        await directory.RegisterAsync(userId, ct);
    }

    public async Task<IReadOnlyList<Habit>> ListHabitsAsync(string userId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var habits = new List<Habit>();
        await foreach (var e in Table.QueryAsync(PartitionFilter(userId, RowKeys.HabitPrefix), cancellationToken: ct))
            habits.Add(EntityMapping.ToHabit(e));
        return habits;
    }

    public async Task<Habit?> GetHabitAsync(string userId, string habitId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync(userId, RowKeys.Habit(habitId), cancellationToken: ct);
        return row.HasValue ? EntityMapping.ToHabit(row.Value!) : null;
    }

    public async Task AddHabitAsync(string userId, Habit habit, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await Table.AddEntityAsync(EntityMapping.ToEntity(userId, habit), ct);
        await directory.RegisterAsync(userId, ct);
    }

    /// <summary>Records a completion; false when that habit was already done that day.</summary>
    public async Task<bool> TryAddCompletionAsync(string userId, HabitCompletion completion, DateTimeOffset at, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        try
        {
            await Table.AddEntityAsync(CompletionEntity(userId, completion, at), ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Everything the detectors look at for one user: two range queries and one point read.</summary>
    public async Task<UserSnapshot> LoadSnapshotAsync(string userId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var habits = new List<Habit>();
        var completions = new Dictionary<string, HashSet<DateOnly>>();
        var filter = $"PartitionKey eq '{Escape(userId)}' and RowKey ge '{RowKeys.CompletionPrefix}' and RowKey lt '{RowKeys.End(RowKeys.HabitPrefix)}'";
        await foreach (var e in Table.QueryAsync(filter, cancellationToken: ct))
        {
            if (e.RowKey!.StartsWith(RowKeys.HabitPrefix, StringComparison.Ordinal))
            {
                habits.Add(EntityMapping.ToHabit(e));
            }
            else if (e.GetString("HabitId") is { } habitId && DateOnly.TryParseExact(e.GetString("Date"), "yyyy-MM-dd", out var day))
            {
                if (!completions.TryGetValue(habitId, out var days)) completions[habitId] = days = [];
                days.Add(day);
            }
        }
        var preferences = await GetPreferencesAsync(userId, ct);
        var profile = await Table.GetEntityIfExistsAsync(userId, RowKeys.Profile, cancellationToken: ct);
        var lastConversation = profile.HasValue ? profile.Value!.GetDateTimeOffset("LastConversationAt") : null;
        return new UserSnapshot
        {
            UserId = userId,
            Preferences = preferences,
            Habits = habits,
            History = completions.ToDictionary(kv => kv.Key, kv => new HabitHistory(kv.Value, new Dictionary<DateOnly, int>(), kv.Value.Count)),
            LastConversationAt = lastConversation,
        };
    }

    /// <summary>Whether a prompt already exists for this moment (a cheap point read).</summary>
    public async Task<bool> HasPromptForAsync(string userId, string dedupeKey, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync(userId, RowKeys.Dedupe(PromptIds.DedupeHash(dedupeKey)), ["PromptId"], ct);
        return row.HasValue;
    }

    /// <summary>
    /// Stores a prompt together with its deduplication marker in one transaction. When the moment
    /// already has a prompt (a second scan, a redelivered message), returns that one instead.
    /// </summary>
    public async Task<(CoachingPrompt Prompt, bool Created)> CreatePromptAsync(CoachingPrompt prompt, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var marker = new TableEntity(prompt.UserId, RowKeys.Dedupe(PromptIds.DedupeHash(prompt.DedupeKey)))
        {
            ["PromptId"] = prompt.Id,
            ["DedupeKey"] = prompt.DedupeKey,
        };
        try
        {
            await Table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, marker),
                new TableTransactionAction(TableTransactionActionType.Add, EntityMapping.ToEntity(prompt)),
            ], ct);
            return (prompt, true);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 || e.FailedTransactionActionIndex == 0)
        {
            var existingMarker = await Table.GetEntityAsync(prompt.UserId, marker.RowKey!, cancellationToken: ct);
            var existing = await GetPromptAsync(prompt.UserId, existingMarker.Value.GetString("PromptId")!, ct)
                           ?? throw new InvalidOperationException($"Dedupe marker {marker.RowKey} points at a missing prompt.");
            return (existing.Prompt, false);
        }
    }

    public async Task<(CoachingPrompt Prompt, ETag ETag)?> GetPromptAsync(string userId, string promptId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync(userId, RowKeys.Prompt(promptId), cancellationToken: ct);
        return row.HasValue ? (EntityMapping.ToPrompt(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>One page of the user's prompts, newest first (prompt ids sort that way).</summary>
    public async Task<(IReadOnlyList<CoachingPrompt> Items, string? ContinuationToken)> ListPromptsAsync(
        string userId, string? state, int limit, string? continuationToken, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var filter = PartitionFilter(userId, RowKeys.PromptPrefix);
        if (state is not null) filter += $" and State eq '{Escape(state)}'";
        await foreach (var page in Table.QueryAsync(filter, maxPerPage: limit, cancellationToken: ct).AsPages(continuationToken, limit))
            return (page.Values.Select(EntityMapping.ToPrompt).ToList(), page.ContinuationToken);
        return ([], null);
    }

    /// <summary>Notes that the prompt went out on a channel. Never moves a prompt backwards.</summary>
    public async Task MarkSentAsync(CoachingPrompt prompt, DateTimeOffset at, CancellationToken ct)
    {
        var update = new TableEntity(prompt.UserId, RowKeys.Prompt(prompt.Id)) { ["SentAt"] = at, ["Channel"] = "in_app" };
        await Table.UpdateEntityAsync(update, ETag.All, TableUpdateMode.Merge, ct);
    }

    /// <summary>
    /// Applies an answer atomically: the prompt's new state (only if unchanged since it was read),
    /// the interaction record, the habit completion and the last-conversation time.
    /// </summary>
    public async Task ApplyResponseAsync(CoachingPrompt prompt, ETag etag, ResponsePlan plan, string? text, DateTimeOffset at, CancellationToken ct)
    {
        var userId = prompt.UserId;
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateMerge, new TableEntity(userId, RowKeys.Prompt(prompt.Id))
            {
                ["State"] = PromptStates.Responded,
                ["RespondedAt"] = at,
                ["ResponseValue"] = plan.Action,
            }, etag),
            new(TableTransactionActionType.Add, new TableEntity(userId, InteractionKey(at))
            {
                ["PromptId"] = prompt.Id,
                ["Action"] = plan.Action,
                ["Text"] = text,
                ["FollowUp"] = plan.FollowUp,
                ["ResponseSeconds"] = Math.Max(0, (at - prompt.CreatedAt).TotalSeconds),
                ["At"] = at,
            }),
            new(TableTransactionActionType.UpsertMerge, new TableEntity(userId, RowKeys.Profile) { ["LastConversationAt"] = at }),
        };
        if (plan.Completion is { } completion)
            actions.Add(new(TableTransactionActionType.UpsertReplace, CompletionEntity(userId, completion, at)));
        await Table.SubmitTransactionAsync(actions, ct);
    }

    private static TableEntity CompletionEntity(string userId, HabitCompletion c, DateTimeOffset at) =>
        new(userId, RowKeys.Completion(c.HabitId, c.Date))
        {
            ["HabitId"] = c.HabitId,
            ["Date"] = c.Date.ToString("yyyy-MM-dd"),
            ["RecordedAt"] = at,
        };

    private static string InteractionKey(DateTimeOffset at) =>
        $"{RowKeys.InteractionPrefix}{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}{Random.Shared.Next(0x10000):x4}";

    private static string PartitionFilter(string userId, string prefix) =>
        $"PartitionKey eq '{Escape(userId)}' and {RowKeys.Range(prefix)}";

    private static string Escape(string value) => value.Replace("'", "''");
}
