using System.Text.Json;
using Azure.Data.Tables;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Hosting;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// The user's e-mail address and push devices: one row in their own partition (row key
/// <c>contacts</c>, outside every range the summary rebuild reads). Read only when a prompt may go
/// out on push or e-mail, so the default in-app user never pays for it.
/// </summary>
public sealed class ContactStore(StorageClients clients, StorageBootstrap bootstrap)
{
    public const string RowKey = "contacts";

    private TableClient Table => clients.Table(StorageNames.UserDataTable);

    public async Task<UserContacts> GetAsync(string userId, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(userId, RowKey, cancellationToken: ct);
        if (!row.HasValue) return UserContacts.None;
        var e = row.Value!;
        return new UserContacts(e.GetString("Email"),
            e.GetString("Devices") is { Length: > 0 } d ? JsonSerializer.Deserialize<List<DeviceToken>>(d, CoachJson.Options)! : []);
    }

    public async Task SaveAsync(string userId, UserContacts contacts, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await Table.UpsertEntityAsync(new TableEntity(userId, RowKey)
        {
            ["Email"] = contacts.Email,
            ["Devices"] = CoachJson.Serialize(contacts.Devices),
        }, TableUpdateMode.Replace, ct);
    }
}
