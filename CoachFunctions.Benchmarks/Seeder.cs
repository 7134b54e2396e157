using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachFunctions.Benchmarks;

/// <summary>What seeding wrote: the users the engine judges due at the benchmark instant.</summary>
public sealed record SeedResult(int Users, IReadOnlySet<string> DueByEngine, TimeSpan Elapsed, long Transactions);

/// <summary>
/// Writes a <see cref="Population"/> fast: each user's rows in one entity-group transaction, and the
/// summary rows directly (what <see cref="UserSnapshots.RefreshAsync"/> would store: the snapshot and
/// its next-due instant from the real engine), batched 100 to a shard partition.
/// </summary>
public sealed class Seeder(StorageClients clients, RequestCounter counter, CoachingEngine engine, int parallelism)
{
    public const int BatchLimit = EntityGroup.MaxActions;

    /// <summary>Drops and recreates the two tables so each scenario starts empty (emulator only: see <see cref="BenchOptions"/>).</summary>
    public async Task ResetAsync(CancellationToken ct)
    {
        foreach (var name in new[] { StorageNames.UserDataTable, StorageNames.UserSummariesTable })
        {
            var table = clients.Table(name);
            await table.DeleteAsync(ct); // a missing table answers 404 without throwing
            await table.CreateIfNotExistsAsync(ct);
        }
    }

    public async Task<SeedResult> SeedAsync(Population population, DateTimeOffset now, CancellationToken ct)
    {
        counter.Reset();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var userData = clients.Table(StorageNames.UserDataTable);
        var summaries = new List<(string Shard, TableEntity Row)>[UserSummaries.ShardCount];
        for (var i = 0; i < summaries.Length; i++) summaries[i] = [];
        var due = new HashSet<string>(StringComparer.Ordinal);
        var gate = new object();

        await Parallel.ForEachAsync(Enumerable.Range(0, population.Users), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (index, token) =>
            {
                var rows = population.Rows(index);
                var actions = rows.All().Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)).ToList();
                                await userData.SubmitInOnePartitionAsync(actions, token);

                var snapshot = rows.ToSnapshot(now);
                var evaluation = engine.Evaluate(snapshot, now);
                // The same rule as UserSnapshots.RefreshAsync: something due now is due at this instant.
                var nextDueAt = evaluation.Planned.Count > 0 ? now : evaluation.NextCheckAt;
                var shard = UserSummaries.ShardOf(rows.UserId);
                var row = new TableEntity(shard, rows.UserId) { ["NextDueAt"] = nextDueAt, ["Summary"] = SummaryDocument.Serialize(snapshot) };
                lock (gate)
                {
                    summaries[int.Parse(shard)].Add((shard, row));
                    if (evaluation.Planned.Count > 0) due.Add(rows.UserId);
                }
            });

        var batches = summaries.SelectMany(rows => rows.Chunk(BatchLimit)).ToList();
        var summaryTable = clients.Table(StorageNames.UserSummariesTable);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (batch, token) => await summaryTable.SubmitInOnePartitionAsync(
                batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r.Row)).ToList(), token));

        return new SeedResult(population.Users, due, started.Elapsed, counter.Total);
    }

    /// <summary>
    /// Rebuilds a sample of users with the product's own read path and checks their seeded summary is
    /// exactly what the product would have stored; a mismatch means the benchmark measures fiction.
    /// </summary>
    public async Task<int> VerifySampleAsync(Population population, DateTimeOffset now, int sample, CancellationToken ct)
    {
        var time = new FixedTime(now);
        var bootstrap = new StorageBootstrap(clients);
        var summaries = new UserSummaries(clients, bootstrap);
        var snapshots = new UserSnapshots(clients, bootstrap, summaries, engine, time, NullLogger<UserSnapshots>.Instance);
        var step = Math.Max(1, population.Users / Math.Max(1, sample));
        var checkedUsers = 0;
        for (var index = 0; index < population.Users && checkedUsers < sample; index += step, checkedUsers++)
        {
            var userId = Population.UserId(index);
            var stored = await summaries.GetAsync(userId, ct) ?? throw new InvalidOperationException($"No summary for {userId}.");
            var rebuilt = await snapshots.LoadAsync(userId, null, ct);
            var expected = SummaryDocument.Serialize(rebuilt);
            var actual = SummaryDocument.Serialize(stored.Snapshot);
            if (expected != actual)
                throw new InvalidOperationException($"Seeded summary of {userId} differs from UserSnapshots.LoadAsync:\n seeded:  {actual}\n product: {expected}");
        }
        return checkedUsers;
    }
}
