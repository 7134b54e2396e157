using Azure;
using Azure.Data.Tables;
using CoachFunctions.Coaching.Welcome;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// The welcome bubble's state, in the user's own partition of the UserData table: row <c>welcome</c>
/// holds the user's cooldowns (when a timer and an operation trigger last got through), rows
/// <c>welcome_{page}</c> the last line shown on each page. All of it is one range read; none of it is
/// in the scan's summary (it changes nothing the coach decides), so writes here refresh nothing.
/// </summary>
public sealed class WelcomeStore(StorageClients clients, StorageBootstrap bootstrap)
{
    private const string CooldownRow = "welcome";
    private static string LineRow(string page) => $"welcome_{page}";

    private TableClient Table => clients.Table(StorageNames.UserDataTable);

    /// <summary>The cooldowns (with the ETag to claim them against; null when none is stored yet) and the page's last line.</summary>
    public async Task<(WelcomeCooldowns Cooldowns, ETag? ETag, WelcomeLine? Line)> GetAsync(string userId, string page, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        (WelcomeCooldowns, ETag?) cooldowns = (WelcomeCooldowns.None, null);
        WelcomeLine? line = null;
        await foreach (var e in Table.QueryAsync<TableEntity>(PartitionQueries.Through(userId, CooldownRow, LineRow(page)), cancellationToken: ct))
        {
            if (e.RowKey == CooldownRow) cooldowns = (new WelcomeCooldowns(e.GetDateTimeOffset("TimerAt"), e.GetDateTimeOffset("OperationAt")), e.ETag);
            else if (e.RowKey == LineRow(page) && e.GetString("Text") is { } text && e.GetDateTimeOffset("GeneratedAt") is { } at)
                line = new WelcomeLine(text, e.GetString("Source") ?? WelcomePolicy.Template, at, e.GetString("Locale") ?? "");
        }
        return (cooldowns.Item1, cooldowns.Item2, line);
    }

    /// <summary>
    /// Takes the trigger's cooldown at <paramref name="at"/>, only if nobody took one since the state was
    /// read (the ETag; absent: only if no cooldown row exists yet). False when another request got
    /// there first: that one generates, this one does not.
    /// </summary>
    public async Task<bool> TryClaimAsync(string userId, string trigger, DateTimeOffset at, ETag? etag, CancellationToken ct)
    {
        var row = new TableEntity(userId, CooldownRow) { [trigger == WelcomeTriggers.Timer ? "TimerAt" : "OperationAt"] = at };
        try
        {
            if (etag is { } e) await Table.UpdateEntityAsync(row, e, TableUpdateMode.Merge, ct);
            else await Table.AddEntityAsync(row, ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    /// <summary>The page's line is now this one.</summary>
    public async Task SaveAsync(string userId, string page, WelcomeLine line, CancellationToken ct)
    {
        await bootstrap.EnsureAsync(ct);
        await Table.UpsertEntityAsync(new TableEntity(userId, LineRow(page))
        {
            ["Text"] = line.Text,
            ["Source"] = line.Source,
            ["GeneratedAt"] = line.GeneratedAt,
            ["Locale"] = line.Locale,
        }, TableUpdateMode.Replace, ct);
    }
}
