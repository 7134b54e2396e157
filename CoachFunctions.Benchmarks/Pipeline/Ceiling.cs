using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Benchmarks.Pipeline;

/// <summary>What the emulator did in the ceiling loop: transactions in the time, by kind.</summary>
public sealed record CeilingResult(long Transactions, TimeSpan Elapsed, int Concurrency, IReadOnlyDictionary<string, long> ByKind, IReadOnlyDictionary<string, double> MeanMs, long Failures)
{
    public double PerSecond => Transactions / Elapsed.TotalSeconds;
}

/// <summary>
/// What this storage emulator can do with the pipeline's own mix: a tight loop of the same kinds of
/// transaction in the same proportions (point reads of the users' rows and summaries, the summary
/// rebuild's range queries on the seeded partitions, entity-group batches, single-entity writes,
/// queue sends, receives of up to 16, deletes, visibility updates), as many at once as the pipeline
/// had in flight at its peak. Writes go to a scratch table and queue, so the seeded data stays as it was.
/// </summary>
/// <param name="log">The counting policy on <paramref name="clients"/>: transactions are counted on the wire, as the pipeline's are.</param>
public sealed class Ceiling(StorageClients clients, WireLog log, IReadOnlyList<string> seededUsers)
{
    public const string ScratchTable = "CeilingScratch";
    public const string ScratchQueue = "ceiling-scratch";

    /// <summary>Mix keys: point reads by table, range queries by table and row key range, the rest by kind.</summary>
    public static string Key(WireOp op) => op.Kind switch
    {
        WireKind.PointRead => $"{op.Kind}:{op.Resource}",
        WireKind.Query => $"{op.Kind}:{op.Resource}:{op.Detail}",
        _ => op.Kind.ToString(),
    };

    public async Task<CeilingResult> RunAsync(IReadOnlyDictionary<string, long> mix, int concurrency, TimeSpan duration, CancellationToken ct)
    {
        var table = clients.Table(ScratchTable);
        await table.CreateIfNotExistsAsync(ct);
        var queue = clients.Queue(ScratchQueue);
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        await queue.ClearMessagesAsync(ct);
        var userData = clients.Table(StorageNames.UserDataTable);
        var summaries = clients.Table(StorageNames.UserSummariesTable);
        var body = new string('x', 400); // about a detection's size
        var pool = new ConcurrentQueue<(string Id, string PopReceipt)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 16 * concurrency), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (_, token) => await queue.SendMessageAsync(body, cancellationToken: token));

        var schedule = Schedule(mix);
        var counts = new ConcurrentDictionary<string, long>();
        var ticks = new ConcurrentDictionary<string, long>();
        long failures = 0;
        var from = WireLog.Now;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var partition = $"ceiling-{worker}";
            for (var i = worker * 7; stopwatch.Elapsed < duration && !ct.IsCancellationRequested; i++)
            {
                var key = schedule[i % schedule.Count];
                var user = seededUsers[random.Next(seededUsers.Count)];
                var began = Stopwatch.GetTimestamp();
                try
                {
                    switch (key)
                    {
                        case "PointRead:UserSummaries":
                            await summaries.GetEntityIfExistsAsync<TableEntity>(UserSummaries.ShardOf(user), user, cancellationToken: ct);
                            break;
                        case var query when query.StartsWith("Query:UserData:", StringComparison.Ordinal):
                            // The same range of a seeded user's partition as the pipeline's query read.
                            await foreach (var _ in userData.QueryAsync<TableEntity>(RangeFilter(user, query["Query:UserData:".Length..]), cancellationToken: ct)) { }
                            break;
                        case "Batch":
                            await table.SubmitTransactionAsync(
                            [
                                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, $"a{i}") { ["V"] = body }),
                                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, $"b{i}") { ["V"] = body }),
                            ], ct);
                            break;
                        case "EntityWrite":
                            await table.UpsertEntityAsync(new TableEntity(partition, "single") { ["V"] = i }, TableUpdateMode.Merge, ct);
                            break;
                        case "QueueSend":
                            await queue.SendMessageAsync(body, cancellationToken: ct);
                            break;
                        case "QueueReceive":
                            QueueMessage[] received = await queue.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(60), ct);
                            foreach (var m in received) pool.Enqueue((m.MessageId, m.PopReceipt));
                            break;
                        case "QueueDelete" when pool.TryDequeue(out var message):
                            await queue.DeleteMessageAsync(message.Id, message.PopReceipt, ct);
                            break;
                        case "QueueUpdate" when pool.TryDequeue(out var message):
                            var updated = await queue.UpdateMessageAsync(message.Id, message.PopReceipt, visibilityTimeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
                            pool.Enqueue((message.Id, updated.Value.PopReceipt));
                            break;
                        case "QueueDelete" or "QueueUpdate":
                            // Nothing received yet: receive instead (counted as what it is).
                            key = "QueueReceive";
                            foreach (var m in (await queue.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(60), ct)).Value) pool.Enqueue((m.MessageId, m.PopReceipt));
                            break;
                        default: // PointRead:UserData and anything else: a point read of a user's row
                            key = "PointRead:UserData";
                            await userData.GetEntityIfExistsAsync<TableEntity>(user, "profile", cancellationToken: ct);
                            break;
                    }
                    counts.AddOrUpdate(key, 1, (_, n) => n + 1);
                    var took = Stopwatch.GetTimestamp() - began;
                    ticks.AddOrUpdate(key, took, (_, n) => n + took);
                }
                catch (Azure.RequestFailedException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }, ct)));
        var elapsed = stopwatch.Elapsed;
        var onWire = log.Between(from, WireLog.Now).Count;
        await table.DeleteAsync(ct);
        await queue.DeleteAsync(ct);
        var meanMs = counts.ToDictionary(kv => kv.Key, kv => ticks.GetValueOrDefault(kv.Key) * 1000.0 / Stopwatch.Frequency / kv.Value);
        return new CeilingResult(onWire, elapsed, concurrency, counts, meanMs, failures);
    }

    /// <summary>A row key range of the user's partition: a prefix's rows, or learned through profile (the rebuild's first read).</summary>
    private static string RangeFilter(string user, string detail) => detail switch
    {
        "learned" => TableClient.CreateQueryFilter($"PartitionKey eq {user} and RowKey ge {"learned"} and RowKey le {"profile"}"),
        { Length: > 0 } prefix => TableClient.CreateQueryFilter($"PartitionKey eq {user} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + (char)(prefix[^1] + 1)}"),
        _ => TableClient.CreateQueryFilter($"PartitionKey eq {user}"),
    };

    /// <summary>The mix as a cycle of 1,000 steps in proportion, shuffled with a fixed seed.</summary>
    private static List<string> Schedule(IReadOnlyDictionary<string, long> mix)
    {
        var total = mix.Values.Sum();
        var steps = new List<string>();
        foreach (var (key, count) in mix.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            for (var n = (int)Math.Max(1, Math.Round(1000.0 * count / total)); n > 0; n--) steps.Add(key);
        var random = new Random(13);
        for (var i = steps.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (steps[i], steps[j]) = (steps[j], steps[i]);
        }
        return steps;
    }
}
