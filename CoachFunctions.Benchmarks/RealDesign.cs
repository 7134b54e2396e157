using CoachFunctions.Coaching;
using CoachFunctions.Functions.ScanShard;
using CoachFunctions.Functions.ScanUsers;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachFunctions.Benchmarks;

/// <summary>
/// The product's scan: what the 16 ScanShard messages of one tick do, each a
/// <see cref="ShardScanner.ScanAsync"/> over its shard's due summaries, with modest parallelism.
/// </summary>
public sealed class RealDesign(StorageClients clients, RequestCounter counter, CoachingEngine engine, int parallelism)
{
    public async Task<ScanOutcome> RunAsync(int users, DateTimeOffset tick, CancellationToken ct)
    {
        var bootstrap = new StorageBootstrap(clients);
        var scanner = new ShardScanner(new UserSummaries(clients, bootstrap), new DetectionQueue(clients, bootstrap), engine, NullLogger<ShardScanner>.Instance);
        // A warm instance created its tables and queues long ago: that one-off is not part of a tick.
        await bootstrap.EnsureAsync(ct);
        counter.Reset();

        var started = System.Diagnostics.Stopwatch.StartNew();
        var results = new List<ShardScanResult>();
        await Parallel.ForEachAsync(UserSummaries.Shards, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (shard, token) =>
            {
                var result = await scanner.ScanAsync(new ScanShardRequest(shard, tick), token);
                lock (results) results.Add(result);
            });
        var elapsed = started.Elapsed;

        var due = results.SelectMany(r => r.Detections).Select(d => d.UserId).ToHashSet(StringComparer.Ordinal);
        var selfCounted = results.Sum(r => r.StorageTransactions);
        return new ScanOutcome("real (summaries)", users, results.Sum(r => r.UsersRead), due, results.Sum(r => r.Detections.Count),
            counter.Reads, counter.Writes, elapsed,
            $"ShardScanner counted {selfCounted} transactions itself; {results.Sum(r => r.UsersDue)} users due by its count");
    }
}
