using System.Diagnostics;
using System.Text.Json;
using CoachFunctions.Functions.OpenApi;
using CoachFunctions.LocalHost;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.Tests.Hosting;

/// <summary>
/// <c>dotnet publish -r linux-x64</c> output is a deployable .NET isolated function app: host.json,
/// worker.config.json naming the worker, and functions.metadata listing every function with its
/// bindings (the SDK generates it from the attributes; the host indexes the app from it), and it
/// starts under the local host.
/// </summary>
public sealed class PublishLayoutTests
{
    [Fact]
    public async Task Publish_folder_is_an_isolated_worker_function_app()
    {
        var root = Azurite.RepositoryRoot();
        var output = Path.Combine(Path.GetTempPath(), "coach-publish-" + Guid.NewGuid().ToString("N"));
        var publish = await RunAsync("dotnet", root, "publish", "CoachFunctions/CoachFunctions.csproj", "-c", "Release", "-r", "linux-x64", "-o", output, "--nologo");
        Assert.True(publish.ExitCode == 0, publish.Output);
        try
        {
            var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "host.json"))).RootElement;
            Assert.Equal("2.0", hostJson.GetProperty("version").GetString());
            Assert.Equal(["extensions", "logging", "telemetryMode", "version"], hostJson.EnumerateObject().Select(p => p.Name).Order()); // nothing but a worker app's
            Assert.Equal("OpenTelemetry", hostJson.GetProperty("telemetryMode").GetString()); // the host exports like the worker (TelemetryExport)
            Assert.Equal("api", hostJson.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
            Assert.Equal(5, hostJson.GetProperty("extensions").GetProperty("queues").GetProperty("maxDequeueCount").GetInt32());

            var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "worker.config.json"))).RootElement.GetProperty("description");
            Assert.Equal("dotnet-isolated", worker.GetProperty("language").GetString());
            var workerPath = worker.GetProperty("defaultWorkerPath").GetString()!;
            Assert.True(File.Exists(Path.Combine(output, workerPath)), $"worker.config.json names '{workerPath}', which is not in the publish folder.");

            var functions = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata"))).RootElement.EnumerateArray()
                .ToDictionary(f => f.GetProperty("name").GetString()!);
            var expected = ApiRoutes.All.Select(r => r.Function).Concat(["ScanUsers", "ScanShard", "GeneratePrompt", "DeliverPrompt", "SendToChannel", "SendDigest"]).Order();
            Assert.Equal(expected, functions.Keys.Order());
            foreach (var (name, function) in functions)
            {
                Assert.Equal(workerPath, function.GetProperty("scriptFile").GetString());
                Assert.StartsWith("CoachFunctions.Functions.", function.GetProperty("entryPoint").GetString());
                Assert.Single(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            }
            Assert.Equal(["queue:scan-shards", "timerTrigger:%ScanSchedule%"], Bindings(functions["ScanUsers"]));
            Assert.Equal(["queueTrigger:scan-shards"], Bindings(functions["ScanShard"])); // it queues detections itself, user by user
            Assert.Equal(["queue:deliveries", "queueTrigger:detections"], Bindings(functions["GeneratePrompt"]));
            Assert.Equal(["queueTrigger:deliveries"], Bindings(functions["DeliverPrompt"]));
            Assert.Equal(["http:", "httpTrigger:prompts/{id}/respond"], Bindings(functions["RespondToPrompt"]));

            // No custom-handler leftovers.
            Assert.Empty(Directory.GetFiles(output, "function.json", SearchOption.AllDirectories));

            // And it runs: the local host starts the published worker as the Functions host would.
            await using var host = await FunctionsLocalHost.StartAsync(new LocalHostOptions
            {
                AppDirectory = output,
                ListenUrl = "http://127.0.0.1:0",
                Settings = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = (await Azurite.SharedAsync()).ConnectionString, ["ScanSchedule"] = "0 0 0 1 1 *" },
                ConfigureLogging = l => l.SetMinimumLevel(LogLevel.Warning),
            });
            Assert.NotNull(host.WorkerProcessId);
            Assert.Equal(functions.Keys.Order(StringComparer.Ordinal), host.FunctionNames);
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/api/health")).StatusCode);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static IEnumerable<string> Bindings(JsonElement function) => function.GetProperty("bindings").EnumerateArray()
        .Select(b => $"{b.GetProperty("type").GetString()}:" + (b.TryGetProperty("schedule", out var s) ? s.GetString()
            : b.TryGetProperty("queueName", out var q) ? q.GetString() : b.TryGetProperty("route", out var r) ? r.GetString() : ""))
        .Order(StringComparer.Ordinal);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
