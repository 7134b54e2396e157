using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// What a request sent with an <c>Idempotency-Key</c> answered: the fingerprint of the request it
/// answered, and its status and body, stored so a retry gets exactly the same answer.
/// </summary>
public sealed record IdempotencyRecord(string Fingerprint, int Status, string Body, DateTimeOffset CreatedAt)
{
    /// <summary>How long a key is remembered (as Stripe, Knock and Novu do): a retry after a day is a new request.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>Still answers retries at <paramref name="now"/>; an expired record is ignored and overwritten.</summary>
    public bool IsFreshAt(DateTimeOffset now) => now - CreatedAt < Lifetime;
}

/// <summary>
/// Idempotency records in the user's own partition of the UserData table (row <c>idem_{sha256(key)}</c>:
/// a key may hold characters a row key may not, and its hash keeps every row key the same length).
/// Being in the user's partition is what makes a key per user, and what lets the record commit in the
/// same entity group transaction as the change it answers for: a record is written only together
/// with its answer, so there is never an answer without its record, nor a record without its answer.
/// </summary>
public sealed class IdempotencyRecords(StorageClients clients, StorageBootstrap bootstrap)
{
    private TableClient Table => clients.Table(StorageNames.UserDataTable);

    public async Task<(IdempotencyRecord Record, ETag ETag)?> GetAsync(string userId, string key, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(userId, RowKey(key), cancellationToken: ct);
        if (!row.HasValue) return null;
        var e = row.Value!;
        return (new IdempotencyRecord(e.GetString("Fingerprint") ?? "", e.GetInt32("Status") ?? 0, e.GetString("Body") ?? "",
            e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue), e.ETag);
    }

    /// <summary>
    /// The transaction action that stores <paramref name="record"/>: an insert when the key has no record,
    /// or a replace of the expired one conditional on the ETag it was read with. Either way, a second
    /// request with the same key that commits first makes this transaction fail (409 or 412), whole.
    /// </summary>
    public static TableTransactionAction Save(string userId, string key, IdempotencyRecord record, ETag? replacing)
    {
        var entity = new TableEntity(userId, RowKey(key))
        {
            ["Fingerprint"] = record.Fingerprint,
            ["Status"] = record.Status,
            ["Body"] = record.Body,
            ["CreatedAt"] = record.CreatedAt,
        };
        return replacing is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, entity);
    }

    internal static string RowKey(string key) => RowKeys.IdempotencyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(key)));
}
