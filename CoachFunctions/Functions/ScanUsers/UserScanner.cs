using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.ScanUsers;

public sealed record ScanResult(int UsersScanned, IReadOnlyList<Detection> Detections);

/// <summary>
/// Evaluates every user in the directory and returns the timings that have no prompt yet. Skipping
/// known moments here saves queue traffic; the prompt's deduplication marker is what guarantees
/// one prompt per moment.
/// </summary>
public sealed class UserScanner(UserDirectory directory, UserDataStore store, TimingDetector detector, TimeProvider time, ILogger<UserScanner> logger)
{
    private const int Parallelism = 8;

    public async Task<ScanResult> ScanAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var users = new List<string>();
        await foreach (var userId in directory.ListAsync(ct)) users.Add(userId);

        var found = new List<Detection>[users.Count];
        await Parallel.ForAsync(0, users.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (i, token) =>
        {
            found[i] = [];
            try
            {
                var snapshot = await store.LoadSnapshotAsync(users[i], token);
                foreach (var detection in detector.Detect(snapshot, now))
                    if (!await store.HasPromptForAsync(users[i], detection.DedupeKey, token))
                        found[i].Add(detection);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One user's bad data must not stop everyone else's coaching.
                logger.LogError(e, "Scan failed for user {UserId}", users[i]);
            }
        });
        return new ScanResult(users.Count, found.SelectMany(d => d).ToList());
    }
}
