using CoachFunctions.Storage;
using CoachFunctions.Tests.Infrastructure;
using Xunit;

namespace CoachFunctions.Tests.Storage;

/// <summary>Query Entities against Azurite: filters built with TableOData, $select, and continuation.</summary>
public class TableQueryTests : IAsyncLifetime
{
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        var azurite = await Azurite.SharedAsync();
        _table = new TableClient(azurite.ConnectionString, StorageTestNames.Table("query"));
        await _table.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await _table.DeleteAsync();

    [Fact]
    public async Task Filter_with_escaped_values_and_select()
    {
        var since = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await _table.AddEntityAsync(new TableEntity("coach", "1") { ["Name"] = "O'Neil", ["Score"] = 10, ["At"] = since.AddDays(1), ["Active"] = true });
        await _table.AddEntityAsync(new TableEntity("coach", "2") { ["Name"] = "Smith", ["Score"] = 20, ["At"] = since.AddDays(-1), ["Active"] = true });
        await _table.AddEntityAsync(new TableEntity("coach", "3") { ["Name"] = "O'Neil", ["Score"] = 30, ["At"] = since.AddDays(2), ["Active"] = false });
        await _table.AddEntityAsync(new TableEntity("other", "1") { ["Name"] = "O'Neil", ["Score"] = 40, ["At"] = since.AddDays(3), ["Active"] = true });

        var pk = "coach";
        var name = "O'Neil";
        var byName = await ToListAsync(_table.QueryAsync(TableOData.Filter($"PartitionKey eq {pk} and Name eq {name}")));
        Assert.Equal(["1", "3"], byName.Select(e => e.RowKey).Order());

        var typed = await ToListAsync(_table.QueryAsync(TableOData.Filter($"PartitionKey eq {pk} and At gt {since} and Active eq {true}")));
        Assert.Equal("1", Assert.Single(typed).RowKey);

        var scored = await ToListAsync(_table.QueryAsync(TableOData.Filter($"Score ge {20}"), select: ["Score"]));
        Assert.Equal([20, 30, 40], scored.Select(e => e.GetInt32("Score")!.Value).Order());
        Assert.All(scored, e => Assert.False(e.ContainsKey("Name")));

        Assert.Equal(4, (await ToListAsync(_table.QueryAsync())).Count);
    }

    [Fact]
    public async Task Continuation_returns_every_entity_across_pages()
    {
        const int total = 1250;
        for (var batch = 0; batch < total / 100 + 1; batch++)
        {
            var actions = Enumerable.Range(batch * 100, Math.Min(100, total - batch * 100))
                .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("bulk", i.ToString("D5")) { ["N"] = i }))
                .ToList();
            if (actions.Count > 0) await _table.SubmitTransactionAsync(actions);
        }

        var pages = new List<Page>();
        await foreach (var page in _table.QueryAsync(TableOData.Filter($"PartitionKey eq {"bulk"}")).AsPages())
            pages.Add(new Page(page.Values.Count, page.ContinuationToken));
        Assert.True(pages.Count > 1, $"expected more than one page, got {pages.Count}");
        Assert.True(pages[0].Count <= 1000);
        Assert.NotNull(pages[0].Token);
        Assert.Null(pages[^1].Token);

        var all = await ToListAsync(_table.QueryAsync(TableOData.Filter($"PartitionKey eq {"bulk"}")));
        Assert.Equal(total, all.Count);
        Assert.Equal(Enumerable.Range(0, total), all.Select(e => e.GetInt32("N")!.Value).Order());
    }

    [Fact]
    public async Task MaxPerPage_and_resuming_from_a_continuation_token()
    {
        var actions = Enumerable.Range(0, 25)
            .Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("pages", i.ToString("D3"))))
            .ToList();
        await _table.SubmitTransactionAsync(actions);

        string? token = null;
        await foreach (var page in _table.QueryAsync(maxPerPage: 10).AsPages())
        {
            Assert.Equal(10, page.Values.Count);
            token = page.ContinuationToken;
            break;
        }

        Assert.NotNull(token);
        var rest = new List<string>();
        await foreach (var page in _table.QueryAsync(maxPerPage: 10).AsPages(token))
            rest.AddRange(page.Values.Select(e => e.RowKey!));
        Assert.Equal(Enumerable.Range(10, 15).Select(i => i.ToString("D3")), rest);
    }

    private sealed record Page(int Count, string? Token);

    private static async Task<List<TableEntity>> ToListAsync(Azure.AsyncPageable<TableEntity> pageable)
    {
        var list = new List<TableEntity>();
        await foreach (var entity in pageable) list.Add(entity);
        return list;
    }
}
