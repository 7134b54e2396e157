using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Hosting;
using CoachFunctions.Storage;
using CoachFunctions.Tests.EndToEnd;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Hosting;

/// <summary>
/// The functions as the host drives them, through the real worker and the local host: the queue
/// payloads they take and give, their outputs, and what failures become.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class WorkerContractTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_redelivered_detection_yields_one_prompt_pushed_over_SignalR_to_its_user_only()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var alice = await ApiClient.SignInAsync(host, ApiClient.NewUserId("alice"));
        using var bob = await ApiClient.SignInAsync(host, ApiClient.NewUserId("bob"));
        await alice.JsonAsync(HttpMethod.Put, "/api/preferences", TestData.Permissive());
        await using var aliceConnection = await SignalRTestClient.ConnectAsync(host, alice);
        await using var bobConnection = await SignalRTestClient.ConnectAsync(host, bob);

        // The same detection twice, as a queue redelivers it; its day is the app's today.
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd");
        var detection = new Detection(alice.UserId, PromptTypes.HabitMissed, Priority.Medium, 0.8,
            new DetectionFacts { LocalDate = today, HabitId = "h1", HabitName = "Reading", MissedDays = 2, StreakBefore = 5 },
            $"habit_missed:h1:{today}", now);
        var detections = host.Services.GetRequiredService<StorageClients>().Queue(StorageNames.DetectionsQueue);
        await detections.SendMessageAsync(CoachJson.Serialize(detection));
        await detections.SendMessageAsync(CoachJson.Serialize(detection));

        var pushed = await aliceConnection.WaitForAsync("coachingPrompt", Wait);
        Assert.NotNull(pushed);
        var promptId = pushed![0].GetProperty("id").GetString()!;
        Assert.Contains("Reading", pushed[0].GetProperty("message").GetString());

        // Both messages done: still one prompt, and whatever else was pushed is that same prompt.
        await Eventually.ValueAsync<bool>(async () => (await detections.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0 ? true : null, Wait,
            "both detections processed");
        var items = (await alice.JsonAsync(HttpMethod.Get, "/api/prompts")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(promptId, Assert.Single(items).GetProperty("id").GetString());
        while (await aliceConnection.WaitForAsync("coachingPrompt", TimeSpan.FromSeconds(1)) is { } again)
            Assert.Equal(promptId, again[0].GetProperty("id").GetString());
        Assert.Null(await bobConnection.WaitForAsync("coachingPrompt", TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_redelivered_detection_whose_prompt_went_stale_leaves_it_expired_and_pushes_nothing()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var alice = await ApiClient.SignInAsync(host, ApiClient.NewUserId("alice"));
        await alice.JsonAsync(HttpMethod.Put, "/api/preferences", TestData.Permissive());
        await using var connection = await SignalRTestClient.ConnectAsync(host, alice);
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        // Made for this moment an hour ago and never sent; it went stale a minute ago. The detection comes again.
        var prompt = await TestData.PromptAsync(host, alice.UserId, PromptTypes.DailyCheckin, createdAt: now.AddHours(-1), expiresAt: now.AddMinutes(-1));
        var detection = new Detection(alice.UserId, prompt.Type, prompt.Priority, prompt.Confidence, prompt.Facts, prompt.DedupeKey, now);
        await host.Services.GetRequiredService<StorageClients>().Queue(StorageNames.DetectionsQueue).SendMessageAsync(CoachJson.Serialize(detection));

        var expired = await Eventually.ValueAsync(async () =>
        {
            var p = await alice.JsonAsync(HttpMethod.Get, $"/api/prompts/{prompt.Id}");
            return p.GetProperty("state").GetString() == PromptStates.Expired ? (JsonElement?)p : null;
        }, Wait);
        Assert.False(expired.TryGetProperty("sentAt", out _));
        Assert.Null(await connection.WaitForAsync("coachingPrompt", TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_prompt_whose_push_fails_goes_to_the_deliveries_queue_and_its_detection_is_done()
    {
        // The worker's SignalR Service does not answer: GeneratePrompt cannot push, nor can DeliverPrompt after it.
        await using var azurite = await Azurite.StartDedicatedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite, workerOnly: new Dictionary<string, string?>
        {
            ["AzureSignalRConnectionString"] = $"Endpoint=http://127.0.0.1:{Azurite.FreePort()};AccessKey={Convert.ToBase64String(new byte[32])};Version=1.0;",
        });
        using var alice = await ApiClient.SignInAsync(host, ApiClient.NewUserId("alice"));
        await alice.JsonAsync(HttpMethod.Put, "/api/preferences", TestData.Permissive());
        var storage = host.Services.GetRequiredService<StorageClients>();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await storage.Queue(StorageNames.DetectionsQueue).SendMessageAsync(TestData.DailyCheckinDetection(alice.UserId, now));

        // The detection is done on the first attempt; its delivery request is DeliverPrompt's, which retries it into the poison queue.
        var poison = storage.Queue(StorageNames.Poison(StorageNames.DeliveriesQueue));
        await poison.CreateIfNotExistsAsync();
        var poisoned = await Eventually.GetAsync(async () => (await poison.PeekMessagesAsync(32)).Value.FirstOrDefault(), TimeSpan.FromSeconds(60), "the delivery request in deliveries-poison");
        using var request = JsonDocument.Parse(poisoned.MessageText);
        var promptId = request.RootElement.GetProperty("promptId").GetString()!;
        var prompt = await alice.JsonAsync(HttpMethod.Get, $"/api/prompts/{promptId}");
        Assert.Equal("pending", prompt.GetProperty("state").GetString());
        Assert.False(prompt.TryGetProperty("sentAt", out _));
        Assert.Empty((await storage.Queue(StorageNames.DetectionsQueue).PeekMessagesAsync(32)).Value);
        var detectionsPoison = storage.Queue(StorageNames.Poison(StorageNames.DetectionsQueue));
        Assert.False(await detectionsPoison.ExistsAsync() && (await detectionsPoison.PeekMessagesAsync(32)).Value.Length > 0);
    }

    [Fact]
    public async Task The_timer_fans_out_one_scan_message_per_shard()
    {
        // Its own emulator: no other host takes these shard messages, so this host scans all 16.
        await using var azurite = await Azurite.StartDedicatedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite, new Dictionary<string, string?> { ["ScanSchedule"] = "*/5 * * * * *" });
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");

        var shards = await Eventually.ValueAsync<long>(async () =>
        {
            var scanned = (await admin.JsonAsync(HttpMethod.Get, "/api/admin/stats?days=1")).GetProperty("scan").GetProperty("shards").GetInt64();
            return scanned >= 16 && scanned % 16 == 0 ? scanned : null; // between ticks, whole ticks only
        }, Wait, "a timer tick's 16 shard scans");
        Assert.Equal(0, shards % 16);
    }

    public static TheoryData<string> Malformed => new()
    {
        "not json at all",
        "{\"userId\":\"MARKER\"}", // no type, no deduplication key
        "[1,2,3]",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_detection_is_retried_and_lands_in_the_poison_queue_after_five_attempts(string message)
    {
        var azurite = await Azurite.SharedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite);
        var storage = host.Services.GetRequiredService<StorageClients>();
        var poison = storage.Queue(StorageNames.Poison(StorageNames.DetectionsQueue));
        await poison.CreateIfNotExistsAsync();

        var marker = $"poison-{Guid.NewGuid():N}";
        var text = message.Contains("MARKER") ? message.Replace("MARKER", marker) : message + " " + marker;
        await storage.Queue(StorageNames.DetectionsQueue).SendMessageAsync(text);

        var poisoned = await Eventually.GetAsync(async () =>
            (await poison.PeekMessagesAsync(32)).Value.FirstOrDefault(m => m.MessageText.Contains(marker)), TimeSpan.FromSeconds(60), "the message in detections-poison");
        Assert.Equal(text, poisoned.MessageText);
        Assert.DoesNotContain((await storage.Queue(StorageNames.DetectionsQueue).PeekMessagesAsync(32)).Value, m => m.MessageText.Contains(marker));
    }

    [Fact]
    public async Task An_http_function_that_throws_answers_a_500_problem_without_the_exception()
    {
        // The worker's storage answers every request with an error no store expects, so the store throws;
        // the host's storage is real. (Unreachable storage would be a 503: see StorageOutageTests.)
        var azurite = await Azurite.SharedAsync();
        using var broken = new TcpListener(IPAddress.Loopback, 0);
        broken.Start();
        _ = AnswerEveryRequestWithATeapotAsync(broken);
        var port = ((IPEndPoint)broken.LocalEndpoint).Port;
        var teapot = $"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Azurite.AccountKey};" +
                          $"QueueEndpoint=http://127.0.0.1:{port}/{Azurite.AccountName};TableEndpoint=http://127.0.0.1:{port}/{Azurite.AccountName};";
        await using var host = await AppHost.StartLocalAsync(azurite, workerOnly: new Dictionary<string, string?> { ["AzureWebJobsStorage"] = teapot });
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("broken"));

        var response = await user.GetAsync("/api/preferences");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), body);
    }

    private static async Task AnswerEveryRequestWithATeapotAsync(TcpListener listener)
    {
        while (true)
        {
            Socket socket;
            try { socket = await listener.AcceptSocketAsync(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { return; }
            using (socket)
            {
                try
                {
                    await socket.ReceiveAsync(new byte[64 * 1024], SocketFlags.None);
                    await socket.SendAsync("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), SocketFlags.None);
                }
                catch (SocketException) { }
            }
        }
    }
}
