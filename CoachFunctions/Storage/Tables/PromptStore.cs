using Azure;
using Azure.Data.Tables;
using CoachFunctions.Hosting;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Coaching.Frequency;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Coaching.Responses;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// One user's prompts and what happened to them, in that user's partition of the UserData table.
/// Every state change uses the ETag it was read with, and every change the scan cares about
/// refreshes the user's summary: a state change it cannot tell from the old state (an
/// acknowledgement, a dismissal: <see cref="FrequencyControl.SeesStateChange"/>) does not.
/// </summary>
public sealed class PromptStore(StorageClients clients, StorageBootstrap bootstrap, UserSnapshots snapshots)
{
    private TableClient Table => clients.Table(StorageNames.UserDataTable);

    /// <summary>
    /// Stores a prompt together with its deduplication marker in one transaction. When the moment
    /// already has a prompt (a second scan, a redelivered message), returns that one instead, and
    /// refreshes the summary then too: callers get here when their summary did not list the prompt,
    /// which is what a crash between the transaction and its refresh leaves behind (issue 9), and
    /// nothing else would ever add the prompt to the summary before the user's next write.
    /// </summary>
    public async Task<(CoachingPrompt Prompt, bool Created)> CreateAsync(CoachingPrompt prompt, CancellationToken ct)
    {
        var (stored, created, _) = await CreateAsync(prompt, null, ct);
        return (stored, created);
    }

    /// <summary>
    /// The same, with the user's summary as the caller read it before (<paramref name="basis"/>): the
    /// new prompt is added to it (<see cref="UserSnapshots.ApplyAsync"/>) rather than the summary being
    /// rebuilt from the partition. When the moment already has a prompt that the basis does not list
    /// (its writer stopped between its commit and its summary write), the summary is rebuilt.
    /// Also returns the stored prompt row's ETag, for a state change without reading it again.
    /// </summary>
    public async Task<(CoachingPrompt Prompt, bool Created, ETag ETag)> CreateAsync(CoachingPrompt prompt, SummaryBasis? basis, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var marker = DedupeMarker(prompt);
        Response<IReadOnlyList<Response>> committed;
        try
        {
            committed = await Table.SubmitInOnePartitionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, marker),
                new TableTransactionAction(TableTransactionActionType.Add, EntityMapping.ToEntity(prompt)),
            ], ct);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 || e.FailedTransactionActionIndex == 0)
        {
            var (existing, etag) = await FindByDedupeKeyWithETagAsync(prompt.UserId, prompt.DedupeKey, ct)
                                   ?? throw new InvalidOperationException($"Dedupe marker {marker.RowKey} points at a missing prompt.");
            if (basis is null || (SnapshotRows.RecordOf(existing) is { } record && !basis.Snapshot.RecentPrompts.Any(p => p.Id == record.Id)))
                await snapshots.RefreshAsync(prompt.UserId, ct);
            return (existing, false, etag);
        }
        await snapshots.ApplyAsync(prompt.UserId, basis, s => SnapshotRows.WithPrompt(s, prompt), ct);
        return (prompt, true, committed.Value[1].Headers.ETag ?? throw new InvalidOperationException("The service answered an insert without an ETag."));
    }

    /// <summary>The prompt made for a moment, if any (a point read on the deduplication marker).</summary>
    public async Task<CoachingPrompt?> FindByDedupeKeyAsync(string userId, string dedupeKey, CancellationToken ct) =>
        (await FindByDedupeKeyWithETagAsync(userId, dedupeKey, ct))?.Prompt;

    /// <summary>The same with the prompt row's ETag.</summary>
    public async Task<(CoachingPrompt Prompt, ETag ETag)?> FindByDedupeKeyWithETagAsync(string userId, string dedupeKey, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var marker = await Table.GetEntityIfExistsAsync<TableEntity>(userId, RowKeys.Dedupe(PromptIds.DedupeHash(dedupeKey)), ["PromptId"], ct);
        if (!marker.HasValue) return null;
        return await GetAsync(userId, marker.Value!.GetString("PromptId")!, ct);
    }

    public async Task<(CoachingPrompt Prompt, ETag ETag)?> GetAsync(string userId, string promptId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(userId, RowKeys.Prompt(promptId), cancellationToken: ct);
        return row.HasValue ? (EntityMapping.ToPrompt(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>One page of the user's prompts, newest first (prompt ids sort that way), optionally only those created since an instant.</summary>
    public async Task<(IReadOnlyList<CoachingPrompt> Items, string? ContinuationToken)> ListAsync(
        string userId, IReadOnlyCollection<string>? states, DateTimeOffset? since, int limit, string? continuationToken, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        // Prompt ids are inverted ticks then a hash: a prompt created at or after "from" sorts before this bound ('~' sorts after
        // every hash character, so prompts of that very tick are in).
        var filter = since is { } from
            ? PartitionQueries.Between(userId, RowKeys.PromptPrefix, $"{RowKeys.PromptPrefix}{UserSnapshots.InvertedTicks(from)}~")
            : PartitionQueries.Prefix(userId, RowKeys.PromptPrefix);
        if (states is { Count: > 0 })
            filter += " and (" + string.Join(" or ", states.Select(s => TableClient.CreateQueryFilter($"State eq {s}"))) + ")";
        await foreach (var page in Table.QueryAsync<TableEntity>(filter, maxPerPage: limit, cancellationToken: ct).AsPages(continuationToken, limit))
            return (page.Values.Select(EntityMapping.ToPrompt).ToList(), string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        return ([], null);
    }

    /// <summary>
    /// Notes that the prompt went out on a channel: a scheduled prompt becomes pending (sent, not yet
    /// acknowledged). False when it changed since it was read (answered or dismissed meanwhile).
    /// </summary>
    public async Task<bool> TryMarkSentAsync(CoachingPrompt prompt, ETag etag, string channel, DateTimeOffset at, CancellationToken ct)
    {
        var update = new TableEntity(prompt.UserId, RowKeys.Prompt(prompt.Id)) { ["SentAt"] = at, ["Channel"] = channel };
        if (prompt.State == PromptStates.Scheduled) update["State"] = PromptStates.Pending;
        return await TryUpdateAsync(update, etag, refresh: false, ct);
    }

    /// <summary>
    /// Records one channel attempt in the prompt's bounded delivery log (<see cref="DeliveryAttempt"/>),
    /// and, when the channel took it, that it went out there (as <see cref="TryMarkSentAsync"/>).
    /// Only if unchanged since read: false when it changed (the caller reads it again and retries).
    /// </summary>
    public Task<bool> TryRecordAttemptAsync(CoachingPrompt prompt, ETag etag, DeliveryAttempt attempt, CancellationToken ct) =>
        TryUpdateAsync(AttemptUpdate(prompt, attempt), etag, refresh: false, ct);

    /// <summary>The merge that records an attempt (see <see cref="TryRecordAttemptAsync"/>), for a caller's own transaction.</summary>
    internal static TableEntity AttemptUpdate(CoachingPrompt prompt, DeliveryAttempt attempt)
    {
        var update = new TableEntity(prompt.UserId, RowKeys.Prompt(prompt.Id))
        {
            ["Deliveries"] = CoachJson.Serialize(DeliveryAttempt.Append(prompt.Deliveries, attempt)),
        };
        if (attempt.Outcome == DeliveryAttempt.Sent)
        {
            update["SentAt"] = attempt.At;
            update["Channel"] = attempt.Channel;
            if (prompt.State == PromptStates.Scheduled) update["State"] = PromptStates.Pending;
        }
        return update;
    }

    /// <summary>Moves the prompt to a new state with its timestamp column, only if unchanged since read.</summary>
    public Task<bool> TrySetStateAsync(CoachingPrompt prompt, ETag etag, string state, string timestampColumn, DateTimeOffset at, CancellationToken ct) =>
        TryUpdateAsync(new TableEntity(prompt.UserId, RowKeys.Prompt(prompt.Id)) { ["State"] = state, [timestampColumn] = at }, etag,
            refresh: FrequencyControl.SeesStateChange(prompt.State, state), ct);

    /// <summary>
    /// Acknowledges delivery or display: the new state with its instant (seen implies delivered, so
    /// a missing delivery instant is filled in too), only if the prompt is unchanged since it was read.
    /// </summary>
    public Task<bool> TryAcknowledgeAsync(CoachingPrompt prompt, ETag etag, string state, DateTimeOffset at, CancellationToken ct)
    {
        var update = new TableEntity(prompt.UserId, RowKeys.Prompt(prompt.Id)) { ["State"] = state };
        if (prompt.DeliveredAt is null) update["DeliveredAt"] = at;
        if (state == PromptStates.Seen && prompt.SeenAt is null) update["SeenAt"] = at;
        return TryUpdateAsync(update, etag, refresh: FrequencyControl.SeesStateChange(prompt.State, state), ct);
    }

    /// <summary>
    /// Applies an answer atomically, in one entity group transaction: the prompt's new state (only
    /// if unchanged since it was read; a snooze keeps it open and scheduled instead), the
    /// interaction record with the response time, the habit completion or interruption, the
    /// last-conversation time, and the follow-up prompt with its deduplication marker (so the same
    /// answer can never store two follow-ups), and the idempotency record of the answer when the
    /// request carried a key (so the answer and its record exist together or not at all).
    /// </summary>
    public async Task ApplyResponseAsync(CoachingPrompt prompt, ETag etag, ResponsePlan plan, string? text, CoachingPrompt followUp,
        DateTimeOffset at, CancellationToken ct, TableTransactionAction? idempotencyRecord = null) =>
        await ApplyResponseAsync(prompt, etag, plan, text, followUp, at, null, ct, idempotencyRecord);

    /// <summary>
    /// The same, with the user's summary as the caller read it before (<paramref name="basis"/>): the
    /// answer is applied to it (<see cref="SnapshotRows.WithAnswer"/>, <see cref="UserSnapshots.ApplyAsync"/>)
    /// rather than the summary being rebuilt. Returns the stored follow-up row's ETag.
    /// </summary>
    public async Task<ETag> ApplyResponseAsync(CoachingPrompt prompt, ETag etag, ResponsePlan plan, string? text, CoachingPrompt followUp,
        DateTimeOffset at, SummaryBasis? basis, CancellationToken ct, TableTransactionAction? idempotencyRecord = null)
    {
        var userId = prompt.UserId;
        var profile = UserDataStore.Activity(userId, at, progress: plan.Completion is not null);
        profile["LastConversationAt"] = at;
        var answered = new TableEntity(userId, RowKeys.Prompt(prompt.Id));
        var followUpRow = EntityMapping.ToEntity(followUp);
        if (plan.SnoozeUntil is { } until)
        {
            answered["State"] = PromptStates.Scheduled;
            answered["DeliverAt"] = until;
            answered["SnoozedAt"] = at;
        }
        else
        {
            answered["State"] = PromptStates.Responded;
            answered["RespondedAt"] = at;
            answered["ResponseValue"] = plan.Action;
        }
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateMerge, answered, etag),
            new(TableTransactionActionType.Add, new TableEntity(userId, InteractionKey(at))
            {
                ["PromptId"] = prompt.Id,
                ["PromptType"] = prompt.Type,
                ["Action"] = plan.Action,
                ["Text"] = text,
                ["NextStep"] = plan.NextStep,
                ["FollowUp"] = plan.FollowUp,
                ["FollowUpId"] = followUp.Id,
                ["ResponseSeconds"] = Math.Max(0, (at - (prompt.SentAt ?? prompt.CreatedAt)).TotalSeconds),
                ["At"] = at,
            }),
            new(TableTransactionActionType.UpsertMerge, profile),
            new(TableTransactionActionType.Add, followUpRow),
            new(TableTransactionActionType.Add, DedupeMarker(followUp)),
        };
        var habitGuard = -1;
        if (plan.Completion is { } completion)
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, UserDataStore.CompletionEntity(userId, completion, at)));
            // The habit must still exist: a merge of nothing into its row, if it is there, fails the
            // whole transaction when it was deleted a moment ago. Cheaper than reading it first, and
            // no window between the check and the commit.
            habitGuard = actions.Count;
            actions.Add(new(TableTransactionActionType.UpdateMerge, new TableEntity(userId, RowKeys.Habit(completion.HabitId)), ETag.All));
        }
        if (plan.Interruption is { } interruption)
            actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(userId, RowKeys.Interruption(interruption.HabitId, interruption.Date))
            {
                ["HabitId"] = interruption.HabitId,
                ["Date"] = interruption.Date.ToString("yyyy-MM-dd"),
                ["Reason"] = interruption.Reason,
                ["PromptId"] = prompt.Id,
                ["At"] = at,
            }));
        if (idempotencyRecord is not null) actions.Add(idempotencyRecord);
        Response<IReadOnlyList<Response>> committed;
        try
        {
            committed = await Table.SubmitInOnePartitionAsync(actions, ct);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404 && habitGuard >= 0 && e.FailedTransactionActionIndex == habitGuard)
        {
            throw new HabitMissingException(plan.Completion!.HabitId, e);
        }
        await snapshots.ApplyAsync(userId, basis, s => SnapshotRows.WithAnswer(s, prompt, plan, at), ct);
        return committed.Value[actions.FindIndex(a => ReferenceEquals(a.Entity, followUpRow))].Headers.ETag
               ?? throw new InvalidOperationException("The service answered an insert without an ETag.");
    }

    private static TableEntity DedupeMarker(CoachingPrompt prompt) => new(prompt.UserId, RowKeys.Dedupe(PromptIds.DedupeHash(prompt.DedupeKey)))
    {
        ["PromptId"] = prompt.Id,
        ["DedupeKey"] = prompt.DedupeKey,
    };

    private async Task<bool> TryUpdateAsync(TableEntity update, ETag etag, bool refresh, CancellationToken ct)
    {
        try
        {
            await Table.UpdateEntityAsync(update, etag, TableUpdateMode.Merge, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
        if (refresh) await snapshots.RefreshAsync(update.PartitionKey!, ct);
        return true;
    }

    private static string InteractionKey(DateTimeOffset at) =>
        $"{RowKeys.InteractionPrefix}{UserSnapshots.InvertedTicks(at)}{Random.Shared.Next(0x10000):x4}";
}

/// <summary>An answer that would complete a habit that no longer exists; nothing was written.</summary>
public sealed class HabitMissingException(string habitId, Exception inner)
    : Exception($"Habit {habitId} no longer exists.", inner)
{
    public string HabitId { get; } = habitId;
}
