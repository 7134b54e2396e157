using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.ScanUsers;

/// <summary>One shard of one tick: which users to read, and the instant they are judged at.</summary>
public sealed record ScanShardRequest(string Shard, DateTimeOffset TickAt, bool All = false);

/// <summary>
/// Timer: fan the tick out, one queue message per user shard, so many instances share the scan.
/// The timer itself reads nothing.
/// </summary>
public sealed class ScanUsersFunction(TimeProvider time, ILogger<ScanUsersFunction> logger)
{
    [Function("ScanUsers")]
    [QueueOutput(StorageNames.ScanShardsQueue, Connection = StorageClients.SettingName)]
    public ScanShardRequest[] Run([TimerTrigger("%ScanSchedule%")] TimerInfo timer)
    {
        var tick = time.GetUtcNow();
        var shards = UserSummaries.Shards.Select(s => new ScanShardRequest(s, tick)).ToArray();
        logger.LogInformation("Tick {Tick:O}{Late}: queueing {Count} shard scans.", tick, timer.IsPastDue ? " (past due)" : "", shards.Length);
        return shards;
    }
}
