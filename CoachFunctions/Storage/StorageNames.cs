namespace CoachFunctions.Storage;

/// <summary>
/// Table and queue names. The functions' queue triggers and outputs name the same queues.
/// </summary>
public static class StorageNames
{
    /// <summary>Everything a user owns, partitioned by user id so one user's changes commit atomically.</summary>
    public const string UserDataTable = "UserData";

    /// <summary>One summary row per user, partitioned into scan shards: what the scan reads.</summary>
    public const string UserSummariesTable = "UserSummaries";

    /// <summary>Admin stats: partition = UTC day, row = one process's running totals (Telemetry/StatsStore).</summary>
    public const string StatsTable = "CoachStats";

    /// <summary>The timer's fan-out: one message per shard per tick.</summary>
    public const string ScanShardsQueue = "scan-shards";
    public const string DetectionsQueue = "detections";
    public const string DeliveriesQueue = "deliveries";

    /// <summary>One attempt of one prompt on one channel other than in-app (push, e-mail, WeCom); retries are re-queued with a delay.</summary>
    public const string ChannelSendsQueue = "channel-sends";

    /// <summary>A user's daily e-mail digest, hidden until their preferred local time.</summary>
    public const string EmailDigestsQueue = "email-digests";

    public static string Poison(string queue) => queue + "-poison";
}
