namespace CoachFunctions.Storage;

/// <summary>
/// Packs the service's two continuation headers (x-ms-continuation-NextPartitionKey/-NextRowKey)
/// into the single opaque Page.ContinuationToken string, and back.
/// </summary>
internal static class TableContinuation
{
    public static string? Format(string? nextPartitionKey, string? nextRowKey) =>
        string.IsNullOrEmpty(nextPartitionKey) && string.IsNullOrEmpty(nextRowKey)
            ? null
            : Uri.EscapeDataString(nextPartitionKey ?? "") + " " + Uri.EscapeDataString(nextRowKey ?? "");

    public static (string? NextPartitionKey, string? NextRowKey) Parse(string? token)
    {
        if (string.IsNullOrEmpty(token)) return (null, null);
        var space = token.IndexOf(' ');
        var pk = Uri.UnescapeDataString(space < 0 ? token : token[..space]);
        var rk = space < 0 ? "" : Uri.UnescapeDataString(token[(space + 1)..]);
        return (pk.Length == 0 ? null : pk, rk.Length == 0 ? null : rk);
    }
}
