using System.Text;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// Who the scan visits: one small row per user in a fixed number of shard partitions, so a scan can
/// be split by shard and each shard read as pages.
/// </summary>
public sealed class UserDirectory(StorageClients clients, StorageBootstrap bootstrap)
{
    public const int ShardCount = 16;

    private TableClient Table => clients.Table(StorageNames.UserDirectoryTable);

    public static string ShardOf(string userId)
    {
        // A stable hash (string.GetHashCode is randomized per process).
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(userId));
        return (BitConverter.ToUInt32(hash, 0) % ShardCount).ToString("D2");
    }

    public async Task RegisterAsync(string userId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await Table.UpsertEntityAsync(new TableEntity(ShardOf(userId), userId), TableUpdateMode.Merge, ct);
    }

    public async IAsyncEnumerable<string> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await foreach (var e in Table.QueryAsync(select: ["RowKey"], cancellationToken: ct))
            yield return e.RowKey!;
    }
}
