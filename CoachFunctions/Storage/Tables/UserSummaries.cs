using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// One small row per user with everything the scan needs (a <see cref="UserSnapshot"/>) and the
/// next instant anything could be due. Rows live in <see cref="ShardCount"/> partitions, so a tick
/// fans out one queue message per shard, and each shard is read as pages filtered on
/// <c>NextDueAt</c>: the scan's cost grows with the users who have something due.
/// </summary>
public sealed class UserSummaries(StorageClients clients, StorageBootstrap bootstrap)
{
    public const int ShardCount = 16;
    public const int PageSize = 1000;

    private TableClient Table => clients.Table(StorageNames.UserSummariesTable);

    public static IReadOnlyList<string> Shards { get; } = Enumerable.Range(0, ShardCount).Select(i => i.ToString("D2")).ToList();

    public static string ShardOf(string userId)
    {
        // A stable hash (string.GetHashCode is randomized per process).
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(userId));
        return (BitConverter.ToUInt32(hash, 0) % ShardCount).ToString("D2");
    }

    public async Task<(UserSnapshot Snapshot, ETag ETag)?> GetAsync(string userId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(ShardOf(userId), userId, cancellationToken: ct);
        return row.HasValue ? (Read(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>
    /// Writes the summary only if it is unchanged since <paramref name="ifMatch"/> was read (absent:
    /// only if there is none yet). False when someone else wrote first: the caller rebuilds and retries.
    /// </summary>
    public async Task<bool> TrySaveAsync(UserSnapshot snapshot, DateTimeOffset nextDueAt, ETag? ifMatch, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = new TableEntity(ShardOf(snapshot.UserId), snapshot.UserId)
        {
            ["NextDueAt"] = nextDueAt,
            ["Summary"] = SummaryDocument.Serialize(snapshot),
        };
        try
        {
            if (ifMatch is { } etag) await Table.UpdateEntityAsync(row, etag, TableUpdateMode.Replace, ct);
            else await Table.AddEntityAsync(row, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Moves only the next-due instant, and only if the summary is unchanged since it was read.</summary>
    public async Task<bool> TrySetNextDueAsync(string userId, ETag etag, DateTimeOffset nextDueAt, CancellationToken ct)
    {
        try
        {
            await Table.UpdateEntityAsync(new TableEntity(ShardOf(userId), userId) { ["NextDueAt"] = nextDueAt }, etag, TableUpdateMode.Merge, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// The shard's users due at <paramref name="now"/> (all of them when <paramref name="all"/>), one page
    /// at a time; each page is one storage transaction.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<(UserSnapshot Snapshot, ETag ETag)>> QueryDueAsync(
        string shard, DateTimeOffset now, bool all, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var filter = all
            ? TableClient.CreateQueryFilter($"PartitionKey eq {shard}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {shard} and NextDueAt le {now}");
        await foreach (var page in Table.QueryAsync<TableEntity>(filter, PageSize, cancellationToken: ct).AsPages(pageSizeHint: PageSize))
            yield return page.Values.Select(e => (Read(e), e.ETag)).ToList();
    }

    /// <summary>Every user id, shard by shard: what a naive scan or an operator tool walks.</summary>
    public async IAsyncEnumerable<string> ListUserIdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await foreach (var e in Table.QueryAsync<TableEntity>(select: ["RowKey"], cancellationToken: ct))
            yield return e.RowKey!;
    }

    private static UserSnapshot Read(TableEntity e) => SummaryDocument.Deserialize(e.RowKey!, e.GetString("Summary") ?? "{}");
}
