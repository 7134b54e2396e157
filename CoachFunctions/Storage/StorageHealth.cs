namespace CoachFunctions.Storage;

/// <summary>
/// Storage reachability as of now, for the health route: what the app's own requests found in the
/// last few seconds, else a probe of one cheap request with a short timeout. Never older than
/// <see cref="MaxAge"/>, so a probe sees an outage (and its end) within seconds.
/// </summary>
public sealed class StorageHealth(StorageClients clients, StorageBootstrap bootstrap)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public async Task<bool> IsReachableAsync(CancellationToken ct)
    {
        if (clients.Reachability.ObservedWithin(MaxAge) is { } recent) return recent;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            // The first probe creates the tables and queues; later ones read one queue's properties.
            if (!bootstrap.IsReady) await bootstrap.EnsureAsync(timeout.Token);
            else await clients.Queue(StorageNames.DetectionsQueue).GetPropertiesAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (StorageFaults.IsUnreachable(e) || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }
}
