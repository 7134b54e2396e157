using CoachFunctions.Functions.ScanUsers;
using CoachFunctions.Hosting;
using CoachFunctions.Hosting.Invocation;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;

namespace CoachFunctions.Functions.ScanShard;

/// <summary>Queue: scan one shard of a tick and queue the detections that passed frequency control.</summary>
public sealed class ScanShardFunction(ShardScanner scanner, CoachMetrics metrics) : IFunction
{
    public string Name => "ScanShard";

    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var shard = request.Read<ScanShardRequest>("shard");
        if (!UserSummaries.Shards.Contains(shard.Shard))
            throw new InvalidInvocationException($"Unknown shard '{shard.Shard}'.");

        var scan = await scanner.ScanAsync(shard, cancellationToken);
        metrics.ScanShardCompleted(scan.UsersRead, scan.UsersDue, scan.Detections.Count, scan.StorageTransactions);
        foreach (var held in scan.Suppressions) metrics.PromptSuppressed(held.Reason, held.Detection.Type);
        return new InvocationResult()
            .Output("detections", scan.Detections)
            .Log($"Shard {shard.Shard}: {scan.UsersDue} users due, {scan.Detections.Count} detections, " +
                 $"{scan.Suppressions.Count} held back, {scan.StorageTransactions} storage transactions.");
    }
}
