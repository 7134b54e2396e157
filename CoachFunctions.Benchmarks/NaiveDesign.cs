using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Benchmarks;

/// <summary>
/// The seed's pseudo-code (000, <c>_check_and_schedule_prompts</c>): list every user, then for each
/// one query their preferences, habits, completions and prompts, and run the detectors. Users are
/// listed from the summary table's row keys (its pages are counted too); each user's rows come from
/// their UserData partition in four queries, and the same engine judges them.
/// </summary>
public sealed class NaiveDesign(StorageClients clients, RequestCounter counter, CoachingEngine engine, int parallelism)
{
    public const int QueriesPerUser = 4;

    private TableClient UserData => clients.Table(StorageNames.UserDataTable);

    /// <param name="sample">
    /// When set, only this many users, spread evenly over the listed ones, are read and judged, and
    /// the figures are theirs (the listing is reported apart): per-user cost on a big table without
    /// waiting for every user of it.
    /// </param>
    public async Task<ScanOutcome> RunAsync(int users, DateTimeOffset tick, CancellationToken ct, int? sample = null)
    {
        var bootstrap = new StorageBootstrap(clients);
        var summaries = new UserSummaries(clients, bootstrap);
        await bootstrap.EnsureAsync(ct);
        counter.Reset();

        var started = System.Diagnostics.Stopwatch.StartNew();
        var userIds = new List<string>();
        await foreach (var id in summaries.ListUserIdsAsync(ct)) userIds.Add(id);
        var listing = (Transactions: counter.Total, Elapsed: started.Elapsed, Count: userIds.Count);
        if (sample is { } k)
        {
            var step = (double)userIds.Count / k;
            userIds = Enumerable.Range(0, k).Select(i => userIds[(int)(i * step)]).ToList();
            counter.Reset();
            started.Restart();
        }

        var due = new HashSet<string>(StringComparer.Ordinal);
        var detections = 0;
        await Parallel.ForEachAsync(userIds, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (userId, token) =>
            {
                var rows = await ReadAsync(userId, tick, token);
                var evaluation = engine.Evaluate(rows.ToSnapshot(tick), tick);
                if (evaluation.Planned.Count == 0) return;
                lock (due)
                {
                    due.Add(userId);
                    detections += evaluation.Planned.Count;
                }
            });
        var elapsed = started.Elapsed;

        if (sample is null)
            return new ScanOutcome("naive (per user)", users, userIds.Count, due, detections, counter.Reads, counter.Writes, elapsed,
                $"listed {userIds.Count} user ids, then {QueriesPerUser} queries per user");
        return new ScanOutcome("naive (sample)", userIds.Count, userIds.Count, due, detections, counter.Reads, counter.Writes, elapsed,
            $"listed all {listing.Count} user ids ({listing.Transactions} transactions, {listing.Elapsed.TotalSeconds:F2} s, not in these figures), " +
            $"then {QueriesPerUser} queries for each of {userIds.Count} users spread over them", userIds.ToHashSet(StringComparer.Ordinal));
    }

    private async Task<UserRows> ReadAsync(string userId, DateTimeOffset now, CancellationToken ct)
    {
        // _get_user_preferences; the profile (last conversation, progress, activity) sorts right after
        // the preferences row, so the same query brings _get_last_conversation_time along.
        TableEntity? preferences = null, profile = null;
        foreach (var e in await ListAsync(PartitionQueries.Through(userId, RowKeys.Preferences, RowKeys.Profile), ct))
        {
            if (e.RowKey == RowKeys.Preferences) preferences = e;
            else if (e.RowKey == RowKeys.Profile) profile = e;
        }
        var habits = await ListAsync(PartitionQueries.Prefix(userId, RowKeys.HabitPrefix), ct);
        var completions = await ListAsync(PartitionQueries.Prefix(userId, RowKeys.CompletionPrefix), ct);
        // Recent prompts only (frequency control looks back eight days); prompt keys sort newest first.
        var promptFloor = RowKeys.PromptPrefix + UserSnapshots.InvertedTicks(now - UserSnapshots.RecentPromptWindow);
        var prompts = await ListAsync(PartitionQueries.Between(userId, RowKeys.PromptPrefix, promptFloor), ct);
        return new UserRows(userId, preferences, profile, habits, completions, prompts);
    }

    private async Task<List<TableEntity>> ListAsync(string filter, CancellationToken ct)
    {
        var rows = new List<TableEntity>();
        await foreach (var e in UserData.QueryAsync<TableEntity>(filter, cancellationToken: ct)) rows.Add(e);
        return rows;
    }
}
