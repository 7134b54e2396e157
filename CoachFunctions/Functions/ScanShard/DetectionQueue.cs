using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Hosting;
using CoachFunctions.Storage;

namespace CoachFunctions.Functions.ScanShard;

/// <summary>
/// Queues a detection for GeneratePrompt. The scan sends each user's detections itself, before it
/// moves that user's next-due instant, rather than returning them as a queue output: the host
/// writes outputs only after the whole shard is done, so a crash in between would have advanced
/// users whose detections were never queued, and the next tick would find nobody due.
/// </summary>
public sealed class DetectionQueue(StorageClients storage, StorageBootstrap bootstrap)
{
    public async Task SendAsync(Detection detection, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await storage.Queue(StorageNames.DetectionsQueue).SendMessageAsync(CoachJson.Serialize(detection), cancellationToken: ct);
    }
}
