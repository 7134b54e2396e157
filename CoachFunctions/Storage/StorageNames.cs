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

    public const string DetectionsQueue = "detections";
    public const string DeliveriesQueue = "deliveries";

    public static string Poison(string queue) => queue + "-poison";
}
