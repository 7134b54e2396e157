using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Frequency;
using CoachFunctions.Functions.ScanUsers;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.ScanShard;

/// <summary>What one shard scan did (users read, users with something to say, the detections it queued), including the storage transactions it issued (pages read, messages queued, rows written).</summary>
public sealed record ShardScanResult(int UsersRead, int UsersDue, IReadOnlyList<Detection> Detections, IReadOnlyList<Suppression> Suppressions, int StorageTransactions);

/// <summary>
/// Reads the shard's due summaries page by page, evaluates each user (detectors, then frequency
/// control, then the optional AI advisor for users the rules left silent), queues the user's
/// detections and only then moves the user's next-due instant forward: a crash at any point leaves
/// every user whose detections are not queued still due, so the scan-shards message's retry or the
/// next tick finds them again, and deduplication keys absorb what was queued twice. Users with
/// nothing due are never read: the query filters on their stored next-due instant.
/// </summary>
public sealed class ShardScanner(UserSummaries summaries, DetectionQueue queue, CoachingEngine engine, ILogger<ShardScanner> logger,
    AiTimingAdvisor? advisor = null)
{
    public async Task<ShardScanResult> ScanAsync(ScanShardRequest request, CancellationToken ct)
    {
        var now = request.TickAt;
        int read = 0, due = 0, transactions = 0;
        var detections = new List<Detection>();
        var suppressions = new List<Suppression>();
        await foreach (var page in summaries.QueryDueAsync(request.Shard, now, request.All, ct))
        {
            transactions++;
            foreach (var (snapshot, etag) in page)
            {
                read++;
                try
                {
                    var evaluation = engine.Evaluate(snapshot, now);
                    if (evaluation.Planned.Count == 0 && advisor is not null
                        && await advisor.ProposeAsync(snapshot, now, ct) is { } proposal
                        && engine.Admit(proposal, snapshot, now) is ({ } admitted, null))
                        evaluation = evaluation with { Planned = [admitted] };
                    foreach (var planned in evaluation.Planned)
                    {
                        await queue.SendAsync(planned.Detection, ct);
                        transactions++;
                        detections.Add(planned.Detection);
                    }
                    if (evaluation.Planned.Count > 0) due++;
                    suppressions.AddRange(evaluation.Suppressed);
                    // Only now, with the detections queued. A write that lands meanwhile refreshed the
                    // row and its next-due instant: keep that one.
                    await summaries.TrySetNextDueAsync(snapshot.UserId, etag, evaluation.NextCheckAt, ct);
                    transactions++;
                }
                catch (Exception e) when (e is not OperationCanceledException && !StorageFaults.IsUnreachable(e))
                {
                    // One user's bad data must not stop everyone else's coaching.
                    logger.LogError(e, "Scan failed for user {UserId}", snapshot.UserId);
                }
            }
        }
        return new ShardScanResult(read, due, detections, suppressions, transactions);
    }
}
