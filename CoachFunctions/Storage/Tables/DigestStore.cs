using Azure;
using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Hosting;

namespace CoachFunctions.Storage.Tables;

/// <summary>A prompt waiting for the user's e-mail digest: a copy of what the digest shows, and the send it waits for.</summary>
public sealed record DigestEntry(string PromptId, DateTimeOffset SendAt, string Date);

/// <summary>
/// The daily e-mail digest's rows, in the user's own partition: one <c>digest_{promptId}</c> row per
/// waiting prompt, and one <c>digestplan</c> row with the send the queue already holds a message for
/// (so the second and third prompt of a day queue nothing). Both sort before the ranges the summary
/// rebuild reads.
/// </summary>
public sealed class DigestStore(StorageClients clients, StorageBootstrap bootstrap)
{
    public const string ItemPrefix = "digest_";
    public const string PlanKey = "digestplan";
    public const string ClaimKey = "digestclaim";

    private TableClient Table => clients.Table(StorageNames.UserDataTable);

    /// <summary>The send already planned (its instant), if any, with the plan row's ETag.</summary>
    public async Task<(DateTimeOffset? SendAt, ETag? ETag)> GetPlanAsync(string userId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(userId, PlanKey, cancellationToken: ct);
        return row.HasValue ? (row.Value!.GetDateTimeOffset("SendAt"), row.Value.ETag) : (null, null);
    }

    /// <summary>
    /// Adds (or, for a redelivered message, re-adds) a waiting prompt; with <paramref name="plan"/>, also
    /// records that a message is queued for <paramref name="sendAt"/>, in the same transaction.
    /// </summary>
    public async Task AddAsync(CoachingPrompt prompt, DateTimeOffset sendAt, string date, bool plan, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpsertReplace, new TableEntity(prompt.UserId, ItemPrefix + prompt.Id)
            {
                ["PromptId"] = prompt.Id,
                ["SendAt"] = sendAt,
                ["Date"] = date,
            }),
        };
        if (plan) actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(prompt.UserId, PlanKey) { ["SendAt"] = sendAt, ["Date"] = date }));
        await Table.SubmitInOnePartitionAsync(actions, ct);
    }

    /// <summary>
    /// Claims the sending of the digest of <paramref name="date"/> for the message with
    /// <paramref name="nonce"/> (its retries and redeliveries carry the same one). Two messages for the
    /// same send (two prompts that planned it at once) race here, and only one wins: a claim another
    /// message holds and that has not lapsed turns this one away. Conditional writes, so a race has one winner.
    /// </summary>
    public async Task<bool> TryClaimAsync(string userId, string date, string nonce, DateTimeOffset now, DateTimeOffset until, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(userId, ClaimKey, cancellationToken: ct);
        var claim = new TableEntity(userId, ClaimKey) { ["Date"] = date, ["Nonce"] = nonce, ["Until"] = until };
        try
        {
            if (!row.HasValue)
            {
                await Table.AddEntityAsync(claim, ct);
                return true;
            }
            var held = row.Value!;
            if (held.GetString("Date") == date && held.GetString("Nonce") != nonce && held.GetDateTimeOffset("Until") > now) return false;
            await Table.UpdateEntityAsync(claim, held.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false; // another message claimed it between the read and the write
        }
    }

    /// <summary>The prompts waiting for a send at or before <paramref name="sendAt"/> (later ones wait for a later digest): one range query.</summary>
    public async Task<IReadOnlyList<DigestEntry>> DueAsync(string userId, DateTimeOffset sendAt, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var due = new List<DigestEntry>();
        await foreach (var e in Table.QueryAsync<TableEntity>(PartitionQueries.Prefix(userId, ItemPrefix), cancellationToken: ct))
            if (e.GetDateTimeOffset("SendAt") is { } at && at <= sendAt)
                due.Add(new DigestEntry(e.GetString("PromptId")!, at, e.GetString("Date") ?? ""));
        return due;
    }

    /// <summary>
    /// Ends a digest in one transaction: each prompt's attempt recorded (with the ETag it was read with),
    /// and the waiting rows removed. A prompt changed meanwhile fails the transaction, and the caller
    /// reads again.
    /// </summary>
    public async Task CompleteAsync(string userId, IReadOnlyList<(CoachingPrompt Prompt, ETag ETag, DeliveryAttempt Attempt)> recorded,
        IReadOnlyList<string> promptIds, CancellationToken ct)
    {
        var actions = new List<TableTransactionAction>();
        foreach (var (prompt, etag, attempt) in recorded)
            actions.Add(new(TableTransactionActionType.UpdateMerge, PromptStore.AttemptUpdate(prompt, attempt), etag));
        foreach (var id in promptIds)
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(userId, ItemPrefix + id), ETag.All));
        // A partition transaction holds at most 100 actions; a day's digest is far smaller (at most MaxPerDay prompts a day).
        foreach (var chunk in actions.Chunk(100))
            await Table.SubmitInOnePartitionAsync(chunk, ct);
    }
}
