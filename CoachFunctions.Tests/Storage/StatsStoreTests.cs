using Azure.Storage.Queues;
using CoachFunctions.Storage;
using CoachFunctions.Telemetry;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Storage;

/// <summary>StatsStore on the SDK: a row per instance and day, long totals split across properties, a day-range query.</summary>
public sealed class StatsStoreTests
{
    [Fact]
    public async Task Rows_of_the_days_asked_for_add_up_and_long_totals_survive_the_split()
    {
        var clients = new StorageClients((await Azurite.SharedAsync()).ConnectionString, QueueMessageEncoding.Base64);
        var store = new StatsStore(clients, $"stats{Guid.NewGuid():N}"[..20]);
        // Over 30,000 characters of JSON: more than one string property holds it.
        var big = new DailyStats { LlmPrompts = 3 };
        for (var i = 0; i < 2000; i++) big.SuppressedByReason[$"reason-with-a-long-name-{i:D4}"] = i;

        await store.WriteAsync("20260310", "instance-a", new DailyStats { LlmPrompts = 100 }, StoreHarness.Start, default);
        await store.WriteAsync("20260311", "instance-a", big, StoreHarness.Start, default);
        await store.WriteAsync("20260311", "instance-b", new DailyStats { LlmPrompts = 4, ScanShards = 16 }, StoreHarness.Start, default);
        await store.WriteAsync("20260311", "instance-b", new DailyStats { LlmPrompts = 5, ScanShards = 32 }, StoreHarness.Start, default); // replaces its own row
        await store.WriteAsync("20260312", "instance-a", new DailyStats { LlmPrompts = 1000 }, StoreHarness.Start, default);

        var (totals, rows) = await store.ReadAsync("20260311", "20260311", default);

        Assert.Equal(2, rows);
        Assert.Equal(8, totals.LlmPrompts);
        Assert.Equal(32, totals.ScanShards);
        Assert.Equal(1999, totals.SuppressedByReason["reason-with-a-long-name-1999"]);
        Assert.Equal(100 + 3 + 5 + 1000, (await store.ReadAsync("20260310", "20260312", default)).Totals.LlmPrompts);
    }
}
