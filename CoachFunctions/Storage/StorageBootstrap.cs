namespace CoachFunctions.Storage;

/// <summary>
/// Creates the tables and queues once, on first use rather than at start-up, so the worker is ready
/// for the host at once. A failure is retried on the next use.
/// </summary>
public sealed class StorageBootstrap(StorageClients clients)
{
    private readonly object _gate = new();
    private Task? _ready;

    /// <summary>True once the tables and queues are known to exist.</summary>
    public bool IsReady { get { lock (_gate) return _ready is { IsCompletedSuccessfully: true }; } }

    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled) _ready = CreateAsync(cancellationToken);
            return _ready;
        }
    }

    private async Task CreateAsync(CancellationToken ct)
    {
        await Task.WhenAll(
            clients.Table(StorageNames.UserDataTable).CreateIfNotExistsAsync(ct),
            clients.Table(StorageNames.UserSummariesTable).CreateIfNotExistsAsync(ct),
            clients.Queue(StorageNames.ScanShardsQueue).CreateIfNotExistsAsync(cancellationToken: ct),
            clients.Queue(StorageNames.DetectionsQueue).CreateIfNotExistsAsync(cancellationToken: ct),
            clients.Queue(StorageNames.DeliveriesQueue).CreateIfNotExistsAsync(cancellationToken: ct),
            clients.Queue(StorageNames.ChannelSendsQueue).CreateIfNotExistsAsync(cancellationToken: ct),
            clients.Queue(StorageNames.EmailDigestsQueue).CreateIfNotExistsAsync(cancellationToken: ct));
    }
}
