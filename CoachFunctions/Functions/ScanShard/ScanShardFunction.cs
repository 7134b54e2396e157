using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Functions.ScanUsers;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.ScanShard;

/// <summary>
/// Queue: scan one shard of a tick and queue the detections that passed frequency control. The
/// scanner queues them itself, user by user, before it advances each user (see <see cref="ShardScanner"/>),
/// so this function has no queue output.
/// </summary>
public sealed class ScanShardFunction(ShardScanner scanner, CoachMetrics metrics, ILogger<ScanShardFunction> logger)
{
    [Function("ScanShard")]
    public async Task Run(
        [QueueTrigger(StorageNames.ScanShardsQueue, Connection = StorageClients.SettingName)] ScanShardRequest shard, CancellationToken ct)
    {
        // A malformed message throws: the queue retries it and moves it to scan-shards-poison in the end.
        if (shard.Shard is null || !UserSummaries.Shards.Contains(shard.Shard))
            throw new InvalidQueueMessageException($"Unknown shard '{shard.Shard}'.");

        var scan = await scanner.ScanAsync(shard, ct);
        metrics.ScanShardCompleted(scan.UsersRead, scan.UsersDue, scan.Detections.Count, scan.StorageTransactions);
        foreach (var held in scan.Suppressions) metrics.PromptSuppressed(held.Reason, held.Detection.Type);
        // Idle shards are the common case every tick: only shards with work are worth a line.
        if (scan.UsersDue > 0)
            logger.LogInformation("Shard {Shard}: {UsersDue} users due, {Detections} detections, {Held} held back, {Transactions} storage transactions.",
                shard.Shard, scan.UsersDue, scan.Detections.Count, scan.Suppressions.Count, scan.StorageTransactions);
    }
}
