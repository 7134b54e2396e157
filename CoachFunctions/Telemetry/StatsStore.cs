using System.Text.Json;
using Azure.Data.Tables;
using CoachFunctions.Hosting;
using CoachFunctions.Storage;

namespace CoachFunctions.Telemetry;

/// <summary>
/// The CoachStats table: partition = UTC day (yyyyMMdd), row = one process's running totals for
/// that day as JSON. Each process only ever replaces its own row, so instances never contend.
/// </summary>
public sealed class StatsStore(StorageClients storage, string tableName)
{
    // Table string properties hold at most 32K UTF-16 characters; the JSON is split across parts.
    private const int PartLength = 30_000;
    private const int SchemaVersion = 1;

    private readonly object _gate = new();
    private Task? _created;

    public string TableName { get; } = tableName;

    private TableClient Table => storage.Table(TableName);

    public async Task WriteAsync(string day, string instanceId, DailyStats totals, DateTimeOffset now, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var json = JsonSerializer.Serialize(totals, CoachJson.Options);
        var entity = new TableEntity(day, instanceId)
        {
            ["Schema"] = SchemaVersion,
            ["UpdatedAt"] = now,
            ["Parts"] = (json.Length + PartLength - 1) / PartLength,
        };
        for (var i = 0; i * PartLength < json.Length; i++)
            entity[$"Totals{i}"] = json.Substring(i * PartLength, Math.Min(PartLength, json.Length - i * PartLength));
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
    }

    /// <summary>The sum of every instance's row for the UTC days <paramref name="fromDay"/> to <paramref name="toDay"/>, inclusive.</summary>
    public async Task<(DailyStats Totals, int Rows)> ReadAsync(string fromDay, string toDay, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var sum = new DailyStats();
        var rows = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {fromDay} and PartitionKey le {toDay}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            if (entity.GetInt32("Schema") != SchemaVersion) continue; // a future layout this build cannot read
            var parts = entity.GetInt32("Parts") ?? 0;
            var json = string.Concat(Enumerable.Range(0, parts).Select(i => entity.GetString($"Totals{i}")));
            if (JsonSerializer.Deserialize<DailyStats>(json, CoachJson.Options) is { } totals)
            {
                sum.Add(totals);
                rows++;
            }
        }
        return (sum, rows);
    }

    private Task EnsureTableAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (_created is null || _created.IsFaulted || _created.IsCanceled) _created = Table.CreateIfNotExistsAsync(ct);
            return _created;
        }
    }
}
