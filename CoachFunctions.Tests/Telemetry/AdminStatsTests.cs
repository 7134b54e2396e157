using System.Net;
using System.Text.Json;
using CoachFunctions.Coaching;
using CoachFunctions.Storage;
using CoachFunctions.Telemetry;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Telemetry;

/// <summary>
/// Figures recorded through CoachMetrics reach GET /api/admin/stats through the CoachStats table on
/// Azurite: exact sums, across instances and across a restart. Each test uses its own table.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class AdminStatsTests
{
    private static Dictionary<string, string?> OwnTable(out string table)
    {
        table = "Stats" + Guid.NewGuid().ToString("N")[..20];
        return new() { ["Stats:TableName"] = table };
    }

    [Fact]
    public async Task Recorded_figures_come_back_as_exact_sums()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), OwnTable(out _));
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");
        var metrics = host.Services.GetRequiredService<CoachMetrics>();

        metrics.PromptGenerated("habit_missed", Priority.High, "template");
        metrics.PromptGenerated("habit_missed", Priority.High, "ai");
        metrics.PromptGenerated("daily_checkin", Priority.Low, "ai");
        foreach (var state in new[] { "delivered", "delivered", "delivered", "delivered", "seen", "seen", "responded", "responded", "dismissed", "expired" })
            metrics.PromptStateChanged(state);
        metrics.PromptDelivered("signalr", "habit_missed");
        metrics.PromptDelivered("signalr", "habit_missed");
        metrics.PromptDelivered("signalr", "daily_checkin");
        metrics.PromptDelivered("offline", "daily_checkin");
        metrics.PromptSuppressed("quiet_hours", "daily_checkin");
        metrics.PromptSuppressed("quiet_hours", "habit_missed");
        metrics.PromptSuppressed("daily_limit", "habit_missed");
        for (var i = 0; i < 4; i++) metrics.PromptResponded("habit_missed", i == 0 ? "snooze" : "complete_now", TimeSpan.FromSeconds(45));
        metrics.LlmPromptGenerated(TimeSpan.FromSeconds(1.5), 100, 20);
        metrics.LlmPromptGenerated(TimeSpan.FromSeconds(3), 50, 10);
        metrics.LlmFallback("timeout");
        metrics.LlmFallback("invalid_output");
        metrics.LlmFallback("invalid_output");
        foreach (var outcome in new[] { "answered", "answered", "answered", "timeout", "error" }) metrics.LlmRequest(outcome);
        metrics.ScanShardCompleted(10, 4, 3, 5);
        metrics.ScanShardCompleted(6, 2, 1, 2);
        await host.Services.GetRequiredService<StatsFlusher>().FlushAsync(CancellationToken.None);

        // Two days, so a test that straddles UTC midnight still sees everything.
        var stats = await admin.JsonAsync(HttpMethod.Get, "/api/admin/stats?days=2");
        Assert.Equal(2, stats.GetProperty("days").GetInt32());
        Assert.Equal(1, stats.GetProperty("rows").GetInt32());
        var generated = stats.GetProperty("generated");
        Assert.Equal(3, generated.GetProperty("total").GetInt64());
        AssertCounts(generated.GetProperty("byType"), ("habit_missed", 2), ("daily_checkin", 1));
        AssertCounts(generated.GetProperty("byPriority"), ("high", 2), ("low", 1));
        AssertCounts(generated.GetProperty("byStrategy"), ("template", 1), ("ai", 2));
        AssertCounts(stats.GetProperty("transitions"),
            ("delivered", 4), ("seen", 2), ("responded", 2), ("dismissed", 1), ("expired", 1), ("failed", 0));
        AssertCounts(stats.GetProperty("deliveredByChannel"), ("signalr", 3), ("offline", 1));
        var suppressed = stats.GetProperty("suppressed");
        Assert.Equal(3, suppressed.GetProperty("total").GetInt64());
        AssertCounts(suppressed.GetProperty("byReason"), ("quiet_hours", 2), ("daily_limit", 1));

        var responses = stats.GetProperty("responses");
        Assert.Equal(4, responses.GetProperty("count").GetInt64());
        Assert.Equal(0.5, responses.GetProperty("rate").GetDouble(), 9);     // 2 responded ÷ 4 delivered
        AssertCounts(responses.GetProperty("byAction"), ("snooze", 1), ("complete_now", 3));
        var time = responses.GetProperty("timeSeconds");                    // all four in the (30, 60] bucket
        Assert.Equal(45, time.GetProperty("p50").GetDouble(), 9);
        Assert.Equal(57, time.GetProperty("p90").GetDouble(), 9);
        Assert.Equal(59.7, time.GetProperty("p99").GetDouble(), 9);

        var llm = stats.GetProperty("llm");
        Assert.Equal(5, llm.GetProperty("requests").GetInt64());
        AssertCounts(llm.GetProperty("requestsByOutcome"), ("answered", 3), ("timeout", 1), ("error", 1));
        Assert.Equal(2, llm.GetProperty("prompts").GetInt64());
        Assert.Equal(3, llm.GetProperty("fallbacks").GetInt64());
        AssertCounts(llm.GetProperty("fallbacksByReason"), ("timeout", 1), ("invalid_output", 2));
        Assert.Equal(150, llm.GetProperty("tokens").GetProperty("prompt").GetInt64());
        Assert.Equal(30, llm.GetProperty("tokens").GetProperty("completion").GetInt64());
        Assert.Equal(180, llm.GetProperty("tokens").GetProperty("total").GetInt64());
        Assert.Equal(2.25, llm.GetProperty("latencyAverageSeconds").GetDouble(), 9);
        Assert.Equal(3.8, llm.GetProperty("latencyP95Seconds").GetDouble(), 9); // rank 1.9: 2 + 2 × 0.9 in the (2, 4] bucket

        var scan = stats.GetProperty("scan");
        Assert.Equal(2, scan.GetProperty("shards").GetInt64());
        Assert.Equal(16, scan.GetProperty("usersRead").GetInt64());
        Assert.Equal(6, scan.GetProperty("usersDue").GetInt64());
        Assert.Equal(4, scan.GetProperty("detections").GetInt64());
        Assert.Equal(7, scan.GetProperty("storageTransactions").GetInt64());
    }

    [Fact]
    public async Task Two_instances_write_their_own_rows_and_the_stats_add_them_up()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), OwnTable(out var table));
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");
        var a = host.Services.GetRequiredService<CoachMetrics>();

        // A second process, as far as storage can tell: its own aggregate, instance id and flusher.
        using var other = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var bAggregate = new StatsAggregator(TimeProvider.System, "instance-b");
        var b = new CoachMetrics(other.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), bAggregate);
        var bFlusher = new StatsFlusher(bAggregate, new StatsStore(host.Services.GetRequiredService<StorageClients>(), table), TimeProvider.System);

        a.PromptGenerated("habit_missed", Priority.High, "template");
        a.PromptStateChanged("delivered");
        a.LlmPromptGenerated(TimeSpan.FromSeconds(1), 10, 5);
        b.PromptGenerated("habit_missed", Priority.Medium, "template");
        b.PromptGenerated("weekly_review", Priority.Low, "hybrid");
        b.PromptStateChanged("delivered");
        b.PromptStateChanged("responded");
        b.LlmPromptGenerated(TimeSpan.FromSeconds(3), 20, 7);
        await host.Services.GetRequiredService<StatsFlusher>().FlushAsync(CancellationToken.None);
        await bFlusher.FlushAsync(CancellationToken.None);
        b.PromptGenerated("weekly_review", Priority.Low, "hybrid"); // running totals: a second flush replaces b's row
        await bFlusher.FlushAsync(CancellationToken.None);

        var stats = await admin.JsonAsync(HttpMethod.Get, "/api/admin/stats?days=2");
        Assert.Equal(2, stats.GetProperty("rows").GetInt32());
        Assert.Equal(4, stats.GetProperty("generated").GetProperty("total").GetInt64());
        AssertCounts(stats.GetProperty("generated").GetProperty("byType"), ("habit_missed", 2), ("weekly_review", 2));
        AssertCounts(stats.GetProperty("generated").GetProperty("byPriority"), ("high", 1), ("medium", 1), ("low", 2));
        AssertCounts(stats.GetProperty("generated").GetProperty("byStrategy"), ("template", 2), ("hybrid", 2));
        Assert.Equal(2, stats.GetProperty("transitions").GetProperty("delivered").GetInt64());
        Assert.Equal(0.5, stats.GetProperty("responses").GetProperty("rate").GetDouble(), 9);
        Assert.Equal(2, stats.GetProperty("llm").GetProperty("prompts").GetInt64());
        Assert.Equal(42, stats.GetProperty("llm").GetProperty("tokens").GetProperty("total").GetInt64());
        Assert.Equal(2, stats.GetProperty("llm").GetProperty("latencyAverageSeconds").GetDouble(), 9);
    }

    [Fact]
    public async Task Figures_are_flushed_at_shutdown_and_survive_a_restart()
    {
        var azurite = await Azurite.SharedAsync();
        var settings = OwnTable(out _);
        await using (var first = await AppHost.StartLocalAsync(azurite, settings))
        {
            var metrics = first.Services.GetRequiredService<CoachMetrics>();
            metrics.PromptSuppressed("quiet_hours", "daily_checkin");
            metrics.ScanShardCompleted(5, 1, 1, 1);
        } // no explicit flush: stopping the host writes the row

        await using var second = await AppHost.StartLocalAsync(azurite, settings);
        using var admin = await ApiClient.SignInAsync(second, ApiClient.NewUserId("admin"), "admin");
        var stats = await admin.JsonAsync(HttpMethod.Get, "/api/admin/stats?days=2");
        Assert.Equal(1, stats.GetProperty("rows").GetInt32());
        AssertCounts(stats.GetProperty("suppressed").GetProperty("byReason"), ("quiet_hours", 1));
        Assert.Equal(5, stats.GetProperty("scan").GetProperty("usersRead").GetInt64());
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("responses").GetProperty("rate").ValueKind); // nothing delivered
    }

    [Theory]
    [InlineData("0")]
    [InlineData("91")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("seven")]
    [InlineData("%207")]
    public async Task Days_out_of_range_is_a_400_problem(string days)
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), OwnTable(out _));
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");
        var response = await admin.GetAsync($"/api/admin/stats?days={days}");
        await AssertProblemAsync(response, 400);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("days", out _));
    }

    [Fact]
    public async Task Days_default_to_seven_and_the_route_needs_an_admin_token()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), OwnTable(out _));
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");
        var stats = await admin.JsonAsync(HttpMethod.Get, "/api/admin/stats");
        Assert.Equal(7, stats.GetProperty("days").GetInt32());
        Assert.Equal(0, stats.GetProperty("generated").GetProperty("total").GetInt64());
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("responses").GetProperty("rate").ValueKind);
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("responses").GetProperty("timeSeconds").GetProperty("p50").ValueKind);
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("llm").GetProperty("latencyP95Seconds").ValueKind);

        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("user"));
        await AssertProblemAsync(await user.GetAsync("/api/admin/stats"), 403);
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        await AssertProblemAsync(await anonymous.GetAsync("/api/admin/stats"), 401);
    }

    private static void AssertCounts(JsonElement counts, params (string Key, long Value)[] expected) =>
        Assert.Equal(expected.OrderBy(e => e.Key).Select(e => $"{e.Key}={e.Value}"),
            counts.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetInt64()}").Order());

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
    }
}
