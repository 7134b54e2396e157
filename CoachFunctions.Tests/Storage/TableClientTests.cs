using Azure;
using CoachFunctions.Storage;
using CoachFunctions.Tests.Infrastructure;
using Xunit;

namespace CoachFunctions.Tests.Storage;

/// <summary>Single-entity operations against a real Azurite Table service.</summary>
public class TableClientTests : IAsyncLifetime
{
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        var azurite = await Azurite.SharedAsync();
        _table = new TableClient(azurite.ConnectionString, StorageTestNames.Table());
        await _table.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await _table.DeleteAsync();

    [Fact]
    public async Task CreateIfNotExists_twice_succeeds_both_times()
    {
        var azurite = await Azurite.SharedAsync();
        var table = new TableClient(azurite.ConnectionString, StorageTestNames.Table());
        var first = await table.CreateIfNotExistsAsync();
        var second = await table.CreateIfNotExistsAsync();
        Assert.Equal(204, first.Status);
        Assert.Equal(409, second.Status);
        await table.AddEntityAsync(new TableEntity("p", "r"));
        Assert.Equal(204, (await table.DeleteAsync()).Status);
    }

    [Fact]
    public async Task Add_returns_etag_and_duplicate_is_409()
    {
        var response = await _table.AddEntityAsync(new TableEntity("p", "r") { ["Name"] = "first" });
        Assert.Equal(204, response.Status);
        Assert.NotNull(response.Headers.ETag);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => _table.AddEntityAsync(new TableEntity("p", "r") { ["Name"] = "second" }));
        Assert.Equal(409, e.Status);
        Assert.Equal("EntityAlreadyExists", e.ErrorCode);
        Assert.Equal("first", (await _table.GetEntityAsync("p", "r")).Value.GetString("Name"));
    }

    [Fact]
    public async Task Upsert_replace_drops_other_properties_and_merge_keeps_them()
    {
        await _table.UpsertEntityAsync(new TableEntity("p", "replace") { ["A"] = 1, ["B"] = "b" }, TableUpdateMode.Replace);
        await _table.UpsertEntityAsync(new TableEntity("p", "replace") { ["A"] = 2 }, TableUpdateMode.Replace);
        var replaced = (await _table.GetEntityAsync("p", "replace")).Value;
        Assert.Equal(2, replaced.GetInt32("A"));
        Assert.Null(replaced.GetString("B"));

        var created = await _table.UpsertEntityAsync(new TableEntity("p", "merge") { ["A"] = 1, ["B"] = "b" });
        var merged = await _table.UpsertEntityAsync(new TableEntity("p", "merge") { ["A"] = 2 }, TableUpdateMode.Merge);
        Assert.NotEqual(created.Headers.ETag, merged.Headers.ETag);
        var entity = (await _table.GetEntityAsync("p", "merge")).Value;
        Assert.Equal(2, entity.GetInt32("A"));
        Assert.Equal("b", entity.GetString("B"));
        Assert.Equal(merged.Headers.ETag, entity.ETag);
    }

    [Fact]
    public async Task Update_and_delete_honour_etags()
    {
        var added = await _table.AddEntityAsync(new TableEntity("p", "r") { ["Count"] = 1, ["Keep"] = "yes" });
        var etag1 = added.Headers.ETag!.Value;

        var updated = await _table.UpdateEntityAsync(new TableEntity("p", "r") { ["Count"] = 2 }, etag1, TableUpdateMode.Merge);
        var etag2 = updated.Headers.ETag!.Value;
        Assert.NotEqual(etag1, etag2);
        Assert.Equal("yes", (await _table.GetEntityAsync("p", "r")).Value.GetString("Keep"));

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => _table.UpdateEntityAsync(new TableEntity("p", "r") { ["Count"] = 3 }, etag1));
        Assert.Equal(412, stale.Status);
        Assert.Equal("UpdateConditionNotSatisfied", stale.ErrorCode);

        var replaced = await _table.UpdateEntityAsync(new TableEntity("p", "r") { ["Count"] = 4 }, etag2, TableUpdateMode.Replace);
        var current = (await _table.GetEntityAsync("p", "r")).Value;
        Assert.Equal(4, current.GetInt32("Count"));
        Assert.Null(current.GetString("Keep"));
        Assert.Equal(replaced.Headers.ETag, current.ETag);

        await _table.UpdateEntityAsync(new TableEntity("p", "r") { ["Count"] = 5 }, ETag.All);
        var any = (await _table.GetEntityAsync("p", "r")).Value;
        Assert.Equal(5, any.GetInt32("Count"));

        var staleDelete = await Assert.ThrowsAsync<RequestFailedException>(() => _table.DeleteEntityAsync("p", "r", etag2));
        Assert.Equal(412, staleDelete.Status);
        Assert.Equal(204, (await _table.DeleteEntityAsync("p", "r", any.ETag)).Status);
        Assert.Equal(404, (await _table.DeleteEntityAsync("p", "r")).Status);

        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => _table.UpdateEntityAsync(new TableEntity("p", "r"), ETag.All));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task Point_read_roundtrips_typed_values_and_awkward_keys()
    {
        // Keys may hold anything but / \ # ? and control characters.
        const string pk = "O'Brien & Sons + ü 東京 %41";
        const string rk = "row 'one' ✓";
        var when = new DateTimeOffset(2025, 6, 1, 12, 30, 45, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        var id = Guid.NewGuid();
        var bytes = new byte[] { 0, 1, 2, 250, 255 };
        var entity = new TableEntity(pk, rk)
        {
            ["Text"] = "héllo 'quoted' \"double\" <xml> & 🎉",
            ["Int"] = -42,
            ["Long"] = 9_007_199_254_740_993L, // beyond double precision: must travel as a string
            ["Double"] = 3.25,
            ["WholeDouble"] = 2.0,
            ["Bool"] = true,
            ["When"] = when,
            ["Id"] = id,
            ["Bytes"] = bytes,
        };
        await _table.AddEntityAsync(entity);

        var read = (await _table.GetEntityAsync(pk, rk)).Value;
        Assert.Equal(pk, read.PartitionKey);
        Assert.Equal(rk, read.RowKey);
        Assert.Equal("héllo 'quoted' \"double\" <xml> & 🎉", read.GetString("Text"));
        Assert.Equal(-42, read["Int"]);
        Assert.Equal(9_007_199_254_740_993L, read["Long"]);
        Assert.Equal(3.25, read["Double"]);
        Assert.Equal(2.0, read["WholeDouble"]);
        Assert.Equal(true, read["Bool"]);
        Assert.Equal(when, read.GetDateTimeOffset("When"));
        Assert.Equal(id, read["Id"]);
        Assert.Equal(bytes, read.GetBinary("Bytes"));
        Assert.Equal(9_007_199_254_740_993L, read.GetInt64("Long"));
        Assert.Equal(true, read.GetBoolean("Bool"));
        Assert.Equal(3.25, read.GetDouble("Double"));
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.NotNull(read.Timestamp);
        Assert.NotEqual(default, read.ETag);
        Assert.Null(read.GetString("Absent"));
        Assert.Throws<InvalidOperationException>(() => read.GetInt32("Text"));

        // Keys with quotes and spaces must also work for updates and deletes.
        await _table.UpdateEntityAsync(new TableEntity(pk, rk) { ["Int"] = 7 }, read.ETag);
        Assert.Equal(7, (await _table.GetEntityAsync(pk, rk)).Value.GetInt32("Int"));
        Assert.Equal(204, (await _table.DeleteEntityAsync(pk, rk)).Status);
    }

    [Fact]
    public async Task Missing_entity_is_404_or_no_value()
    {
        var none = await _table.GetEntityIfExistsAsync("p", "missing");
        Assert.False(none.HasValue);
        Assert.Equal(404, none.GetRawResponse().Status);
        Assert.Throws<InvalidOperationException>(() => none.Value);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => _table.GetEntityAsync("p", "missing"));
        Assert.Equal(404, e.Status);
        Assert.Equal("ResourceNotFound", e.ErrorCode);

        await _table.AddEntityAsync(new TableEntity("p", "present") { ["A"] = "a" });
        var some = await _table.GetEntityIfExistsAsync("p", "present");
        Assert.True(some.HasValue);
        Assert.Equal("a", some.Value!.GetString("A"));
    }

    [Fact]
    public async Task Point_read_with_select_returns_only_those_properties()
    {
        await _table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = 5L, ["C"] = "c" });
        var read = (await _table.GetEntityAsync("p", "r", ["A", "B"])).Value;
        Assert.Equal("a", read.GetString("A"));
        Assert.Equal(5L, read.GetInt64("B"));
        Assert.False(read.ContainsKey("C"));
        Assert.NotEqual(default, read.ETag);
    }
}
