using Azure.Data.Tables;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// OData filters over one user's partition of the UserData table, built with
/// <see cref="TableClient.CreateQueryFilter(FormattableString)"/> so a user id or key with quotes
/// can never change the query's meaning.
/// </summary>
internal static class PartitionQueries
{
    public static string Partition(string userId) => TableClient.CreateQueryFilter($"PartitionKey eq {userId}");

    /// <summary>Row keys from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive).</summary>
    public static string Between(string userId, string from, string to) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {userId} and RowKey ge {from} and RowKey lt {to}");

    /// <summary>Row keys from <paramref name="from"/> to <paramref name="through"/>, both inclusive.</summary>
    public static string Through(string userId, string from, string through) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {userId} and RowKey ge {from} and RowKey le {through}");

    /// <summary>Every row whose key starts with <paramref name="prefix"/>: one contiguous range.</summary>
    public static string Prefix(string userId, string prefix) => Between(userId, prefix, RowKeys.End(prefix));
}
