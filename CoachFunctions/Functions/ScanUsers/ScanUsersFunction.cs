using CoachFunctions.Hosting;
using CoachFunctions.Hosting.Invocation;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.ScanUsers;

/// <summary>One shard of one tick: which users to read, and the instant they are judged at.</summary>
public sealed record ScanShardRequest(string Shard, DateTimeOffset TickAt, bool All = false);

/// <summary>
/// Timer: fan the tick out, one queue message per user shard, so many instances share the scan.
/// The timer itself reads nothing.
/// </summary>
public sealed class ScanUsersFunction(TimeProvider time) : IFunction
{
    public string Name => "ScanUsers";

    public Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var tick = time.GetUtcNow();
        var shards = UserSummaries.Shards.Select(s => new ScanShardRequest(s, tick)).ToList();
        return Task.FromResult(new InvocationResult()
            .Output("shards", shards)
            .Log($"Tick {tick:O}: queued {shards.Count} shard scans."));
    }
}
