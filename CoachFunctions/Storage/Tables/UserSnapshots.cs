using Azure;
using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Storage.Tables;

/// <summary>A user's summary as read before a write, with its ETag: what <see cref="UserSnapshots.ApplyAsync"/> starts from.</summary>
public sealed record SummaryBasis(UserSnapshot Snapshot, ETag ETag);

/// <summary>
/// Builds a user's <see cref="UserSnapshot"/> from their own partition (the source of truth) and
/// keeps their summary row current. Every write path calls <see cref="RefreshAsync"/> after it
/// commits; the summary's ETag is read before the partition, so when two writers race the one
/// that read older data loses the conditional write and rebuilds: the last summary written
/// always reflects every committed write. A write that read the summary (and its ETag) before it
/// committed can instead apply its own change to what it read (<see cref="ApplyAsync"/>), with the
/// same conditional write, and so the same guarantee, without reading the partition again.
/// </summary>
public sealed class UserSnapshots(StorageClients clients, StorageBootstrap bootstrap, UserSummaries summaries, CoachingEngine engine,
    TimeProvider time, ILogger<UserSnapshots> logger)
{
    /// <summary>How much completion history the summary keeps: enough for a 365-day milestone.</summary>
    public const int HistoryDays = 370;
    public static readonly TimeSpan RecentPromptWindow = TimeSpan.FromDays(8);
    public static readonly TimeSpan ContextWindow = TimeSpan.FromHours(48);
    public const int ActivitySamples = 30;
    private const int MaxAttempts = 5;

    private TableClient Table => clients.Table(StorageNames.UserDataTable);

    /// <summary>Rebuilds the summary from the partition and stores it with its next due instant.</summary>
    public async Task<UserSnapshot> RefreshAsync(string userId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await summaries.GetAsync(userId, ct);
            var snapshot = await LoadAsync(userId, current?.Snapshot.FirstSeenAt, ct);
            if (await summaries.TrySaveAsync(snapshot, NextDueAt(snapshot, time.GetUtcNow()), current?.ETag, ct)) return snapshot;
            if (attempt == MaxAttempts)
            {
                logger.LogWarning("Summary of user {UserId} kept changing; left for the next write to refresh.", userId);
                return snapshot;
            }
        }
    }

    /// <summary>
    /// Stores the summary after a write that committed, without reading the partition again:
    /// <paramref name="basis"/> (read, with its ETag, before the write) with <paramref name="change"/>
    /// (what the write did) applied, cut to the windows a rebuild reads, and written only if the
    /// summary is still the one read. Any other write that committed meanwhile then either refreshes
    /// after this one (reading this summary's ETag, then the partition with both writes) or loses its
    /// own conditional write and rebuilds; and if another summary was written since the basis was
    /// read, this one loses and rebuilds from the partition instead. No basis (no summary yet), or a
    /// change that cannot be applied in place (<paramref name="change"/> answers null): a rebuild.
    /// </summary>
    public async Task<UserSnapshot> ApplyAsync(string userId, SummaryBasis? basis, Func<UserSnapshot, UserSnapshot?> change, CancellationToken ct)
    {
        if (basis is not null && change(basis.Snapshot) is { } changed)
        {
            var now = time.GetUtcNow();
            var snapshot = SnapshotRows.Windowed(changed, now);
            if (await summaries.TrySaveAsync(snapshot, NextDueAt(snapshot, now), basis.ETag, ct)) return snapshot;
        }
        return await RefreshAsync(userId, ct);
    }

    /// <summary>Something due right now is picked up by the next tick, not by this write.</summary>
    private DateTimeOffset NextDueAt(UserSnapshot snapshot, DateTimeOffset now)
    {
        var evaluation = engine.Evaluate(snapshot, now);
        return evaluation.Planned.Count > 0 ? now : evaluation.NextCheckAt;
    }

    /// <summary>The summary if there is one, else a fresh rebuild (a user the scan has not seen yet).</summary>
    public async Task<UserSnapshot> GetAsync(string userId, CancellationToken ct) => (await GetWithBasisAsync(userId, ct)).Snapshot;

    /// <summary>
    /// The summary with the ETag it was read with, for a write that will <see cref="ApplyAsync"/> its
    /// change; a user without one gets a fresh rebuild and no basis.
    /// </summary>
    public async Task<(UserSnapshot Snapshot, SummaryBasis? Basis)> GetWithBasisAsync(string userId, CancellationToken ct) =>
        await summaries.GetAsync(userId, ct) is var (snapshot, etag)
            ? (snapshot, new SummaryBasis(snapshot, etag))
            : (await RefreshAsync(userId, ct), null);

    /// <summary>
    /// Everything the detectors and frequency control look at, read the way the seed's pseudo-code
    /// reads it (profile, habits, completions, prompts, events, interactions): six range queries. The
    /// scan never calls this; writes and the benchmark's naive design do.
    /// </summary>
    public async Task<UserSnapshot> LoadAsync(string userId, DateTimeOffset? firstSeenAt, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var now = time.GetUtcNow();

        // learned, preferences, profile sort next to each other: one range read.
        TableEntity? prefsRow = null, profile = null;
        await foreach (var e in Table.QueryAsync<TableEntity>(PartitionQueries.Through(userId, RowKeys.Learned, RowKeys.Profile), cancellationToken: ct))
        {
            if (e.RowKey == RowKeys.Preferences) prefsRow = e;
            else if (e.RowKey == RowKeys.Profile) profile = e;
        }
        var habits = new List<TableEntity>();
        await foreach (var e in Table.QueryAsync<TableEntity>(PartitionQueries.Prefix(userId, RowKeys.HabitPrefix), cancellationToken: ct))
            habits.Add(e);

        var completions = new List<TableEntity>();
        await foreach (var e in Table.QueryAsync<TableEntity>(PartitionQueries.Prefix(userId, RowKeys.CompletionPrefix),
                           select: ["HabitId", "Date", "RecordedAt"], cancellationToken: ct))
            completions.Add(e);

        // Prompt ids are inverted ticks: everything newer than the window sorts before this key.
        var prompts = new List<TableEntity>();
        await foreach (var e in Table.QueryAsync<TableEntity>(PartitionQueries.Between(userId, RowKeys.PromptPrefix, $"{RowKeys.PromptPrefix}{InvertedTicks(now - RecentPromptWindow)}"),
                           select: ["RowKey", "PromptId", "Type", "Priority", "HabitId", "DedupeKey", "CreatedAt", "DeliverAt", "State", "ReplyTo"], cancellationToken: ct))
            prompts.Add(e);

        // Newest first; one page of recent events and of interactions is all the snapshot needs.
        var events = await FirstPageAsync(PartitionQueries.Between(userId, RowKeys.EventPrefix, $"{RowKeys.EventPrefix}{InvertedTicks(now - TimeSpan.FromDays(30))}"), null, ct);
        var interactions = await FirstPageAsync(PartitionQueries.Prefix(userId, RowKeys.InteractionPrefix), ["At"], ct);

        return new SnapshotRows(userId, prefsRow, profile, habits, completions, prompts, events, interactions).ToSnapshot(now, firstSeenAt);
    }

    private async Task<IReadOnlyList<TableEntity>> FirstPageAsync(string filter, IEnumerable<string>? select, CancellationToken ct)
    {
        await foreach (var page in Table.QueryAsync<TableEntity>(filter, maxPerPage: ActivitySamples, select: select, cancellationToken: ct).AsPages(pageSizeHint: ActivitySamples))
            return page.Values;
        return [];
    }

    internal static string InvertedTicks(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19");
}
