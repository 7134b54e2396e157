using System.Text.Json;
using CoachFunctions.Functions.OpenApi;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Azure.Functions.Worker.Invocation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoachFunctions.Tests.Hosting;

/// <summary>
/// The worker built in the test process (where the entry assembly is the test host, so the SDK's
/// start-up classes are not found) still has the SDK's generated function metadata and executor,
/// and the test's clock. No host is needed to build it.
/// </summary>
public sealed class InProcessWorkerTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["Auth:SigningKey"] = TestKeys.SigningKey,
    };

    [Fact]
    public async Task The_generated_metadata_lists_every_function_with_its_trigger_and_outputs()
    {
        using var worker = InProcessWorker.Build(Settings);
        var provider = worker.Services.GetRequiredService<IFunctionMetadataProvider>();
        Assert.Equal("GeneratedFunctionMetadataProvider", provider.GetType().Name);
        var functions = (await provider.GetFunctionMetadataAsync(InProcessWorker.AppDirectory)).ToDictionary(f => f.Name!);

        var http = ApiRoutes.All.Select(r => r.Function).ToList();
        Assert.True(http.Count >= 22);
        Assert.Equal(http.Append("ScanUsers").Append("ScanShard").Append("GeneratePrompt").Append("DeliverPrompt").Append("SendToChannel").Append("SendDigest").Order(), functions.Keys.Order());

        Assert.Equal(["queue:$return:scan-shards", "timerTrigger:timer:%ScanSchedule%"], Bindings(functions["ScanUsers"]));
        Assert.Equal(["queueTrigger:shard:scan-shards"], Bindings(functions["ScanShard"])); // it queues its detections itself, user by user
        Assert.Equal(["queue:$return:deliveries", "queueTrigger:detection:detections"], Bindings(functions["GeneratePrompt"]));
        Assert.Equal(["queueTrigger:delivery:deliveries"], Bindings(functions["DeliverPrompt"]));
        // Channels queue their retries and next channels themselves, with visibility delays.
        Assert.Equal(["queueTrigger:send:channel-sends"], Bindings(functions["SendToChannel"]));
        Assert.Equal(["queueTrigger:request:email-digests"], Bindings(functions["SendDigest"]));
        foreach (var route in ApiRoutes.All)
        {
            var bindings = functions[route.Function].RawBindings!.Select(b => JsonDocument.Parse(b).RootElement).ToList();
            var trigger = Assert.Single(bindings, b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal(route.Path, "/api/" + trigger.GetProperty("route").GetString());
            Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString()); // the app checks tokens itself
            Assert.Contains(bindings, b => b.GetProperty("type").GetString() == "http" && b.GetProperty("name").GetString() == "$return");
        }
        var queueConnections = functions.Values.SelectMany(f => f.RawBindings!).Select(b => JsonDocument.Parse(b).RootElement)
            .Where(b => b.GetProperty("type").GetString()!.StartsWith("queue", StringComparison.Ordinal));
        Assert.All(queueConnections, b => Assert.Equal("AzureWebJobsStorage", b.GetProperty("connection").GetString()));
    }

    [Fact]
    public void The_generated_executor_and_the_test_clock_are_used()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 3, 9, 7, 30, 0, TimeSpan.Zero));
        using var worker = InProcessWorker.Build(Settings, time: clock);
        Assert.Equal("DirectFunctionExecutor", worker.Services.GetRequiredService<IFunctionExecutor>().GetType().Name);
        Assert.Same(clock, worker.Services.GetRequiredService<TimeProvider>());
    }

    private static IEnumerable<string> Bindings(IFunctionMetadata function) => function.RawBindings!
        .Select(b => JsonDocument.Parse(b).RootElement)
        .Select(b => $"{b.GetProperty("type").GetString()}:{b.GetProperty("name").GetString()}:" +
                     (b.TryGetProperty("schedule", out var s) ? s.GetString() : b.TryGetProperty("queueName", out var q) ? q.GetString() : ""))
        .Order(StringComparer.Ordinal);
}
