namespace CoachFunctions.Telemetry;

/// <summary>
/// One instance's totals for one UTC day, as stored in a CoachStats row; the admin stats add rows
/// together. Mutated only under <see cref="StatsAggregator"/>'s lock.
/// </summary>
public sealed class DailyStats
{
    /// <summary>Distinct values kept per dimension; more land in "other", so a row stays small.</summary>
    public const int MaxKeysPerDimension = 50;
    public const string OtherKey = "other";

    public Dictionary<string, long> GeneratedByType { get; set; } = [];
    public Dictionary<string, long> GeneratedByPriority { get; set; } = [];
    public Dictionary<string, long> GeneratedByStrategy { get; set; } = [];
    public Dictionary<string, long> Transitions { get; set; } = [];
    public Dictionary<string, long> DeliveredByChannel { get; set; } = [];
    public Dictionary<string, long> SuppressedByReason { get; set; } = [];
    public Dictionary<string, long> ResponsesByAction { get; set; } = [];
    public BucketCounts ResponseTime { get; set; } = BucketCounts.For(CoachMetrics.ResponseTimeBuckets);

    public long LlmCalls { get; set; }
    public long LlmPromptTokens { get; set; }
    public long LlmCompletionTokens { get; set; }
    public BucketCounts LlmLatency { get; set; } = BucketCounts.For(CoachMetrics.LlmLatencyBuckets);
    public Dictionary<string, long> LlmFallbacks { get; set; } = [];

    public long ScanShards { get; set; }
    public long ScanUsersRead { get; set; }
    public long ScanUsersDue { get; set; }
    public long ScanDetections { get; set; }
    public long ScanStorageTransactions { get; set; }

    public static void Increment(Dictionary<string, long> counts, string key, long by = 1)
    {
        var named = counts.Count - (counts.ContainsKey(OtherKey) ? 1 : 0);
        if (!counts.ContainsKey(key) && named >= MaxKeysPerDimension - 1) key = OtherKey; // one slot kept for "other"
        counts[key] = counts.GetValueOrDefault(key) + by;
    }

    public void Add(DailyStats other)
    {
        AddAll(GeneratedByType, other.GeneratedByType);
        AddAll(GeneratedByPriority, other.GeneratedByPriority);
        AddAll(GeneratedByStrategy, other.GeneratedByStrategy);
        AddAll(Transitions, other.Transitions);
        AddAll(DeliveredByChannel, other.DeliveredByChannel);
        AddAll(SuppressedByReason, other.SuppressedByReason);
        AddAll(ResponsesByAction, other.ResponsesByAction);
        ResponseTime.Add(other.ResponseTime);
        LlmCalls += other.LlmCalls;
        LlmPromptTokens += other.LlmPromptTokens;
        LlmCompletionTokens += other.LlmCompletionTokens;
        LlmLatency.Add(other.LlmLatency);
        AddAll(LlmFallbacks, other.LlmFallbacks);
        ScanShards += other.ScanShards;
        ScanUsersRead += other.ScanUsersRead;
        ScanUsersDue += other.ScanUsersDue;
        ScanDetections += other.ScanDetections;
        ScanStorageTransactions += other.ScanStorageTransactions;
    }

    public DailyStats Clone()
    {
        var copy = new DailyStats { ResponseTime = new BucketCounts(), LlmLatency = new BucketCounts() };
        copy.Add(this);
        return copy;
    }

    // Sums across rows are not capped: each row is, and the sum is bounded by the rows read.
    private static void AddAll(Dictionary<string, long> into, Dictionary<string, long> from)
    {
        foreach (var (k, v) in from) into[k] = into.GetValueOrDefault(k) + v;
    }
}
