namespace CoachFunctions.Storage;

/// <summary>
/// Table and queue names. Queue names match the <c>queueName</c> of the function.json bindings.
/// </summary>
public static class StorageNames
{
    /// <summary>Everything a user owns, partitioned by user id so one user's changes commit atomically.</summary>
    public const string UserDataTable = "UserData";

    /// <summary>Who the scan visits, partitioned into shards.</summary>
    public const string UserDirectoryTable = "UserDirectory";

    /// <summary>Admin stats: partition = UTC day, row = one process's running totals (Telemetry/StatsStore).</summary>
    public const string StatsTable = "CoachStats";

    public const string DetectionsQueue = "detections";
    public const string DeliveriesQueue = "deliveries";

    public static string Poison(string queue) => queue + "-poison";
}
