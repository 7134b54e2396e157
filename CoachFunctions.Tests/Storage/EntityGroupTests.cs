using Azure.Data.Tables;
using Azure.Storage.Queues;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Storage;

/// <summary>
/// Entity group transactions keep Azure's rules even though Azurite does not enforce them: one
/// partition, 1 to 100 actions. A refused batch is refused before anything is sent.
/// </summary>
public sealed class EntityGroupTests : IAsyncLifetime
{
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        var clients = new StorageClients((await Azurite.SharedAsync()).ConnectionString, QueueMessageEncoding.Base64);
        _table = clients.Table($"group{Guid.NewGuid():N}"[..20]);
        await _table.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await _table.DeleteAsync();

    private static TableTransactionAction Add(string partition, string row) => new(TableTransactionActionType.Add, new TableEntity(partition, row));

    [Fact]
    public async Task A_batch_across_partitions_is_refused_and_writes_nothing()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitInOnePartitionAsync([Add("alice", "a"), Add("bob", "b")], default));

        Assert.Contains("one partition", e.Message);
        Assert.Empty(await RowsAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task A_batch_must_hold_one_to_a_hundred_actions(int count)
    {
        var actions = Enumerable.Range(0, count).Select(i => Add("alice", $"r{i:D3}")).ToList();

        await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitInOnePartitionAsync(actions, default));
        Assert.Empty(await RowsAsync());
    }

    [Fact]
    public async Task A_full_batch_in_one_partition_commits_every_action()
    {
        var actions = Enumerable.Range(0, EntityGroup.MaxActions).Select(i => Add("alice", $"r{i:D3}")).ToList();

        var responses = (await _table.SubmitInOnePartitionAsync(actions, default)).Value;

        Assert.Equal(EntityGroup.MaxActions, responses.Count);
        Assert.Equal(EntityGroup.MaxActions, (await RowsAsync()).Count);
    }

    private async Task<List<TableEntity>> RowsAsync()
    {
        var rows = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>()) rows.Add(e);
        return rows;
    }
}
