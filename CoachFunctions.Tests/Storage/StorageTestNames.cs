namespace CoachFunctions.Tests.Storage;

/// <summary>Unique resource names per test so tests never share state in the one Azurite process.</summary>
internal static class StorageTestNames
{
    /// <summary>Tables: letters and digits, starting with a letter, 3-63 characters.</summary>
    public static string Table(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Queues: lowercase letters, digits and single dashes, 3-63 characters.</summary>
    public static string Queue(string prefix = "q") => prefix + "-" + Guid.NewGuid().ToString("N")[..20];
}
