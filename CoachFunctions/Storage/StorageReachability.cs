namespace CoachFunctions.Storage;

/// <summary>
/// Whether the storage account is answering, learnt from every request the app's clients send
/// (<see cref="StoragePolicies"/>): any HTTP answer means reachable, a failure to get one (refused,
/// reset, timed out) means not. A blip is left to the SDK's retries; once nothing has answered for
/// <see cref="OpenAfter"/>, storage counts as out: new requests fail at once with
/// <see cref="StorageUnavailableException"/> instead of spending the SDK's retries (about 6 s) each,
/// one request a second goes through as a trial (one attempt, no retries), and the first answer
/// restores everything.
/// </summary>
public sealed class StorageReachability(TimeProvider time)
{
    public static readonly TimeSpan OpenAfter = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan TrialInterval = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private DateTimeOffset? _failingSince;
    private DateTimeOffset _lastTrial = DateTimeOffset.MinValue;
    private DateTimeOffset _lastObserved = DateTimeOffset.MinValue;

    public StorageReachability() : this(TimeProvider.System) { }

    /// <summary>Since when requests have failed with no answer in between; null while storage answers.</summary>
    public DateTimeOffset? FailingSince { get { lock (_gate) return _failingSince; } }

    /// <summary>True once failures have lasted <see cref="OpenAfter"/>: requests then fail fast.</summary>
    public bool IsOut { get { lock (_gate) return IsOutAt(time.GetUtcNow()); } }

    /// <summary>
    /// Whether storage answered the last request that found out, if that was within <paramref name="maxAge"/>;
    /// null when nothing that recent is known. Elapsed time on this instance's clock (the wall clock in the
    /// app: this is about the network, not the coaching day).
    /// </summary>
    public bool? ObservedWithin(TimeSpan maxAge)
    {
        lock (_gate) return time.GetUtcNow() - _lastObserved <= maxAge ? _failingSince is null : null;
    }

    public void Answered()
    {
        lock (_gate)
        {
            _failingSince = null;
            _lastObserved = time.GetUtcNow();
        }
    }

    /// <summary>Records a request that got no answer; true when storage now counts as out.</summary>
    public bool Failed()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _failingSince ??= now;
            _lastObserved = now;
            return IsOutAt(now);
        }
    }

    /// <summary>True when a request may go to storage: always unless storage is out, then one a second.</summary>
    public bool TryAdmit()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!IsOutAt(now)) return true;
            if (now - _lastTrial < TrialInterval) return false;
            _lastTrial = now;
            return true;
        }
    }

    private bool IsOutAt(DateTimeOffset now) => _failingSince is { } since && now - since >= OpenAfter;
}

/// <summary>Storage is not answering; the request was not sent, or not retried. Answered as a 503 with Retry-After.</summary>
public sealed class StorageUnavailableException(DateTimeOffset? since, Exception? inner = null)
    : Exception($"Storage has not answered since {since:O}.", inner)
{
    public DateTimeOffset? Since { get; } = since;
}
