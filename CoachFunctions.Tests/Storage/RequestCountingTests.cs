using Azure.Data.Tables;
using Azure.Storage.Queues;
using CoachFunctions.Coaching;
using CoachFunctions.Functions.ScanShard;
using CoachFunctions.Functions.ScanUsers;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachFunctions.Tests.Storage;

/// <summary>
/// The per-retry policy StorageClients accepts sees every storage transaction on the wire, retries
/// included: what the benchmark counts a tick with. Each test has an Azurite of its own, so a shard
/// holds only its own users.
/// </summary>
public sealed class RequestCountingTests
{
    [Fact]
    public async Task A_shard_with_nothing_due_costs_one_transaction()
    {
        await using var azurite = await Azurite.StartDedicatedAsync();
        var recorder = new RequestRecorder();
        var s = new StorageClients(azurite.ConnectionString, QueueMessageEncoding.Base64, recorder);
        var bootstrap = new StorageBootstrap(s);
        var summaries = new UserSummaries(s, bootstrap);
        var scanner = new ShardScanner(summaries, new DetectionQueue(s, bootstrap), CoachingEngine.Default, NullLogger<ShardScanner>.Instance);
        await bootstrap.EnsureAsync(default);
        Assert.Equal(7, recorder.Count); // two tables, five queues (scan shards, detections, deliveries, channel sends, e-mail digests), once per process
        recorder.Clear();

        var result = await scanner.ScanAsync(new ScanShardRequest("07", StoreHarness.Start), default);

        Assert.Equal(1, recorder.Count);
        Assert.Equal(result.StorageTransactions, recorder.Count);
        var (method, path, _) = Assert.Single(recorder.Attempts);
        Assert.Equal("GET", method);
        Assert.EndsWith("/UserSummaries()", path);
    }

    [Fact]
    public async Task A_batch_is_one_transaction_however_many_actions_it_holds()
    {
        var recorder = new RequestRecorder();
        var s = await StoreHarness.StartAsync(recorder);
        await s.Bootstrap.EnsureAsync(default);
        recorder.Clear();

        var user = StoreHarness.NewUserId();
        await s.Clients.Table(StorageNames.UserDataTable).SubmitInOnePartitionAsync(
            Enumerable.Range(0, 10).Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(user, $"r{i}"))).ToList(), default);

        Assert.Equal(1, recorder.Count);
        Assert.EndsWith("/$batch", Assert.Single(recorder.Attempts).Path);
    }

    [Fact]
    public async Task A_retried_request_is_counted_once_per_attempt()
    {
        var recorder = new RequestRecorder();
        var s = await StoreHarness.StartAsync(recorder);
        await s.Bootstrap.EnsureAsync(default);
        recorder.Clear();
        recorder.FailFirstAttempts = 1;

        var snapshot = await s.Summaries.GetAsync(StoreHarness.NewUserId(), default);

        Assert.Null(snapshot);
        Assert.Equal(2, recorder.Count);
        Assert.Single(recorder.Attempts.Select(a => a.Path).Distinct());
    }
}
