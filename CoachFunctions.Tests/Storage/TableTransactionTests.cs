using Azure;
using CoachFunctions.Storage;
using CoachFunctions.Tests.Infrastructure;
using Xunit;

namespace CoachFunctions.Tests.Storage;

/// <summary>Entity group transactions (POST $batch) against Azurite.</summary>
public class TableTransactionTests : IAsyncLifetime
{
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        var azurite = await Azurite.SharedAsync();
        _table = new TableClient(azurite.ConnectionString, StorageTestNames.Table("batch"));
        await _table.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await _table.DeleteAsync();

    [Fact]
    public async Task Mixed_transaction_applies_every_action_and_returns_etags()
    {
        var existing = await _table.AddEntityAsync(new TableEntity("p", "update") { ["V"] = 1, ["Keep"] = "k" });
        await _table.AddEntityAsync(new TableEntity("p", "replace") { ["V"] = 1, ["Drop"] = "d" });
        await _table.AddEntityAsync(new TableEntity("p", "delete"));
        await _table.AddEntityAsync(new TableEntity("p", "upsertmerge") { ["Keep"] = "k" });

        var result = await _table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "add") { ["V"] = 1, ["Name"] = "O'Hara 東" }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "update") { ["V"] = 2 }, existing.Headers.ETag!.Value),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "replace") { ["V"] = 2 }),
            new(TableTransactionActionType.Delete, new TableEntity("p", "delete")),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "upsertmerge") { ["V"] = 2 }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "upsert replace 'q'") { ["V"] = 2L }),
        ]);

        Assert.Equal(202, result.GetRawResponse().Status);
        Assert.Equal(6, result.Value.Count);
        Assert.All(result.Value, r => Assert.Equal(204, r.Status));
        Assert.NotNull(result.Value[0].Headers.ETag);
        Assert.Null(result.Value[3].Headers.ETag);

        var all = new Dictionary<string, TableEntity>();
        await foreach (var e in _table.QueryAsync(TableOData.Filter($"PartitionKey eq {"p"}"))) all[e.RowKey!] = e;
        Assert.Equal(["add", "replace", "update", "upsert replace 'q'", "upsertmerge"], all.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("O'Hara 東", all["add"].GetString("Name"));
        Assert.Equal(result.Value[0].Headers.ETag, all["add"].ETag);
        Assert.Equal(2, all["update"].GetInt32("V"));
        Assert.Equal("k", all["update"].GetString("Keep"));
        Assert.False(all["replace"].ContainsKey("Drop"));
        Assert.Equal("k", all["upsertmerge"].GetString("Keep"));
        Assert.Equal(2L, all["upsert replace 'q'"].GetInt64("V"));
    }

    [Fact]
    public async Task Failed_action_rolls_back_everything_and_reports_its_index()
    {
        await _table.AddEntityAsync(new TableEntity("p", "exists") { ["V"] = "original" });
        await _table.AddEntityAsync(new TableEntity("p", "victim") { ["V"] = "original" });

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => _table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "new1")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "victim") { ["V"] = "changed" }),
            new(TableTransactionActionType.Add, new TableEntity("p", "exists") { ["V"] = "changed" }),
            new(TableTransactionActionType.Add, new TableEntity("p", "new2")),
        ]));

        Assert.Equal(409, e.Status);
        Assert.Equal("EntityAlreadyExists", e.ErrorCode);
        Assert.Equal(2, e.FailedTransactionActionIndex);
        Assert.Equal(409, e.FailedResponse!.Status);

        var rows = new List<TableEntity>();
        await foreach (var entity in _table.QueryAsync()) rows.Add(entity);
        Assert.Equal(["exists", "victim"], rows.Select(r => r.RowKey).Order());
        Assert.All(rows, r => Assert.Equal("original", r.GetString("V")));
    }

    [Fact]
    public async Task Stale_etag_fails_the_transaction_with_412()
    {
        var first = await _table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        await _table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 2 });

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => _table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "other")),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "r") { ["V"] = 3 }, first.Headers.ETag!.Value),
        ]));

        Assert.Equal(412, e.Status);
        Assert.Equal(1, e.FailedTransactionActionIndex);
        Assert.False((await _table.GetEntityIfExistsAsync("p", "other")).HasValue);
        Assert.Equal(2, (await _table.GetEntityAsync("p", "r")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Invalid_transactions_are_rejected_before_sending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitTransactionAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitTransactionAsync(
            Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", i.ToString())))));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("a", "1")),
            new(TableTransactionActionType.Add, new TableEntity("b", "1")),
        ]));
    }
}
