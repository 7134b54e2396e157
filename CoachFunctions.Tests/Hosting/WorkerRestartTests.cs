using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using CoachFunctions.LocalHost;
using CoachFunctions.Storage;
using CoachFunctions.Tests.EndToEnd;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.Tests.Hosting;

/// <summary>
/// The local host with the app's real worker process (as <c>scripts/run.sh</c> runs it): a worker
/// killed with SIGKILL is started again, and what was queued while it was gone is processed.
/// The worker runs on the wall clock, so the detection's day is taken from that clock.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class WorkerRestartTests
{
    [Fact]
    public async Task A_killed_worker_is_restarted_and_no_queued_message_is_lost()
    {
        var azurite = await Azurite.SharedAsync();
        await using var host = await FunctionsLocalHost.StartAsync(new LocalHostOptions
        {
            AppDirectory = AppBuild.Folder(),
            ListenUrl = "http://127.0.0.1:0",
            Settings = new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["ScanSchedule"] = "0 0 0 1 1 *",
            },
            ConfigureLogging = l => l.SetMinimumLevel(LogLevel.Warning),
        });
        var first = host.WorkerProcessId ?? throw new InvalidOperationException("The local host started no worker process.");

        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var userId = ApiClient.NewUserId("restart");
        var token = await SignInAsync(http, userId);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await http.PutAsJsonAsync("/api/preferences", new { timeZone = "UTC", quietHours = new { enabled = false } })).EnsureSuccessStatusCode();

        using (var worker = Process.GetProcessById(first))
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }

        // Queued while no worker runs: the host keeps polling and must hand it to the next worker.
        var detections = new StorageClients(azurite.ConnectionString, QueueMessageEncoding.Base64).Queue(StorageNames.DetectionsQueue);
        await detections.SendMessageAsync(TestData.DailyCheckinDetection(userId, DateTimeOffset.UtcNow));

        using var restarted = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.WaitForWorkerAsync(restarted.Token);
        var second = await Eventually.ValueAsync(() => Task.FromResult(host.WorkerProcessId is { } id && id != first ? id : (int?)null),
            TimeSpan.FromSeconds(60), "a new worker process");
        Assert.NotEqual(first, second);

        var prompt = await Eventually.ValueAsync(async () =>
        {
            var list = JsonDocument.Parse(await http.GetStringAsync("/api/prompts")).RootElement;
            return list.GetProperty("items").EnumerateArray().Select(p => (JsonElement?)p.Clone()).SingleOrDefault();
        }, TimeSpan.FromSeconds(60), "the prompt from the detection queued while the worker was down");
        Assert.Equal("daily_checkin", prompt.GetProperty("type").GetString());
    }

    private static async Task<string> SignInAsync(HttpClient http, string userId)
    {
        var response = await http.PostAsJsonAsync("/api/dev/token", new { userId });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}
