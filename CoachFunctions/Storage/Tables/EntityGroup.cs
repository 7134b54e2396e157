using Azure;
using Azure.Data.Tables;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// Entity group transactions with Azure's rules checked before sending: at most 100 actions, all in
/// one partition. Azure refuses a batch that breaks them, but Azurite (and the SDK) accept one across
/// partitions, so a design slip would pass every local test and fail only in production.
/// </summary>
internal static class EntityGroup
{
    public const int MaxActions = 100;

    public static Task<Response<IReadOnlyList<Response>>> SubmitInOnePartitionAsync(
        this TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken ct)
    {
        if (actions.Count is 0 or > MaxActions)
            throw new ArgumentException($"An entity group transaction holds 1 to {MaxActions} actions, got {actions.Count}.", nameof(actions));
        var partitions = actions.Select(a => a.Entity.PartitionKey).Distinct(StringComparer.Ordinal).ToList();
        if (partitions.Count > 1)
            throw new ArgumentException($"An entity group transaction stays in one partition; got {string.Join(", ", partitions)}.", nameof(actions));
        return table.SubmitTransactionAsync(actions, ct);
    }
}
