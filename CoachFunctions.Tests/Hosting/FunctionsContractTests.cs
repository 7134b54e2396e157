using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Hosting;

/// <summary>
/// The custom handler as the Functions host drives it: <c>GET /</c> at start-up, then
/// <c>POST /{FunctionName}</c> envelopes in the docs' encoding (a JSON string holding the message)
/// and the host's (that string serialized once more), answered with <c>Outputs</c>.
/// </summary>
public sealed class FunctionsContractTests
{
    [Fact]
    public async Task Root_answers_at_once_and_unknown_functions_are_404()
    {
        await using var host = await AppHost.StartFunctionsAsync(await Azurite.SharedAsync());
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/NoSuchFunction", Json("{}"))).StatusCode);
        // The local-only development sign-in does not exist under the Functions host.
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/dev/token", Json("{\"userId\":\"x\"}"))).StatusCode);
    }

    private static readonly DateTimeOffset DetectionDay = DateTimeOffset.Parse("2026-11-21T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static TheoryData<string> Encodings => new() { "docs", "host", "object" };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task GeneratePrompt_stores_the_prompt_once_and_outputs_a_delivery(string encoding)
    {
        // The app lives on the morning of the detection's day, whatever today is: a detection from
        // a past day would be stale and never delivered.
        var time = new ShiftedTimeProvider(DetectionDay - TimeProvider.System.GetUtcNow());
        await using var host = await AppHost.StartFunctionsAsync(await Azurite.SharedAsync(), time: time);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var userId = ApiClient.NewUserId("contract");
        var detection = new
        {
            userId,
            type = "habit_missed",
            priority = "medium",
            confidence = 0.8,
            facts = new { localDate = "2026-11-21", habitId = "h1", habitName = "Reading", missedDays = 2, streakBefore = 5 },
            dedupeKey = $"habit_missed:h1:2026-11-21:{encoding}",
            detectedAt = time.GetUtcNow(),
        };

        var first = await InvokeAsync(http, "GeneratePrompt", "detection", detection, encoding);
        var delivery = first.GetProperty("Outputs").GetProperty("delivery");
        Assert.Equal(userId, delivery.GetProperty("userId").GetString());
        var promptId = delivery.GetProperty("promptId").GetString()!;
        Assert.NotEmpty(first.GetProperty("Logs").EnumerateArray());

        // Redelivered: the same prompt, not a second one.
        var second = await InvokeAsync(http, "GeneratePrompt", "detection", detection, encoding);
        Assert.Equal(promptId, second.GetProperty("Outputs").GetProperty("delivery").GetProperty("promptId").GetString());

        // DeliverPrompt turns it into a SignalR message for that user only.
        var delivered = await InvokeAsync(http, "DeliverPrompt", "delivery", new { userId, promptId }, encoding);
        var messages = delivered.GetProperty("Outputs").GetProperty("signalRMessages");
        var message = Assert.Single(messages.EnumerateArray());
        Assert.Equal("coachingPrompt", message.GetProperty("target").GetString());
        Assert.Equal(userId, message.GetProperty("userId").GetString());
        var prompt = message.GetProperty("arguments")[0];
        Assert.Equal(promptId, prompt.GetProperty("id").GetString());
        Assert.Contains("Reading", prompt.GetProperty("message").GetString());

        // Once sent, a redelivered detection does not ask for a second delivery.
        var third = await InvokeAsync(http, "GeneratePrompt", "detection", detection, encoding);
        Assert.False(third.GetProperty("Outputs").TryGetProperty("delivery", out _));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task DeliverPrompt_for_a_missing_prompt_outputs_nothing(string encoding)
    {
        await using var host = await AppHost.StartFunctionsAsync(await Azurite.SharedAsync());
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var result = await InvokeAsync(http, "DeliverPrompt", "delivery", new { userId = "nobody", promptId = "0000000000000000000deadbeef" }, encoding);
        Assert.False(result.GetProperty("Outputs").TryGetProperty("signalRMessages", out _));
    }

    [Fact]
    public async Task ScanUsers_fans_out_one_message_per_shard_and_ScanShard_outputs_the_due_detections()
    {
        var azurite = await Azurite.SharedAsync();
        await using var host = await AppHost.StartFunctionsAsync(azurite);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var userId = ApiClient.NewUserId("timer");
        await SeedUserWithMissedHabitAsync(host, userId);

        var timer = new
        {
            Data = new { timer = new { Schedule = new { AdjustForDST = true }, ScheduleStatus = new { Last = "0001-01-01T00:00:00", Next = DateTime.UtcNow.AddMinutes(5), LastUpdated = DateTime.UtcNow }, IsPastDue = false } },
            Metadata = new { sys = new { MethodName = "ScanUsers", UtcNow = DateTime.UtcNow, RandGuid = Guid.NewGuid() } },
        };
        var response = await http.PostAsJsonAsync("/ScanUsers", timer);
        response.EnsureSuccessStatusCode();
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var shards = result.GetProperty("Outputs").GetProperty("shards");
        Assert.Equal(JsonValueKind.Array, shards.ValueKind); // one queue message per element
        Assert.Equal(CoachFunctions.Storage.Tables.UserSummaries.ShardCount, shards.GetArrayLength());
        var myShard = CoachFunctions.Storage.Tables.UserSummaries.ShardOf(userId);
        var message = Assert.Single(shards.EnumerateArray(), s => s.GetProperty("shard").GetString() == myShard);

        var scanned = await InvokeAsync(http, "ScanShard", "shard", JsonSerializer.Deserialize<JsonElement>(message.GetRawText()), "host");
        var detections = scanned.GetProperty("Outputs").GetProperty("detections");
        var mine = Assert.Single(detections.EnumerateArray(),
            d => d.GetProperty("userId").GetString() == userId && d.GetProperty("type").GetString() == "habit_missed");
        Assert.Equal(4, mine.GetProperty("facts").GetProperty("missedDays").GetInt32());
        Assert.StartsWith("habit_missed:", mine.GetProperty("dedupeKey").GetString());
    }

    [Fact]
    public async Task A_malformed_message_fails_the_invocation_so_the_host_retries_it()
    {
        await using var host = await AppHost.StartFunctionsAsync(await Azurite.SharedAsync());
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var envelope = "{\"Data\":{\"detection\":\"not json\"},\"Metadata\":{\"DequeueCount\":\"1\"}}";
        var response = await http.PostAsync("/GeneratePrompt", Json(envelope));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.NotEmpty(body.GetProperty("Logs").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/GeneratePrompt", Json("{not an envelope"))).StatusCode);
    }

    /// <summary>Builds the envelope: docs = JSON string of the message; host = that string serialized again.</summary>
    private static async Task<JsonElement> InvokeAsync(HttpClient http, string function, string binding, object message, string encoding)
    {
        var text = JsonSerializer.Serialize(message);
        object data = encoding switch
        {
            "docs" => text,
            "host" => JsonSerializer.Serialize(text),
            _ => message,
        };
        var envelope = new Dictionary<string, object>
        {
            ["Data"] = new Dictionary<string, object> { [binding] = data },
            ["Metadata"] = new Dictionary<string, object>
            {
                ["DequeueCount"] = "1",
                ["Id"] = $"\"{Guid.NewGuid()}\"",
                ["PopReceipt"] = "\"AgAAAAMAAAAAAAAA\"",
                ["sys"] = new { MethodName = function, UtcNow = DateTime.UtcNow, RandGuid = Guid.NewGuid() },
            },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = JsonContent.Create(envelope) };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{function} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task SeedUserWithMissedHabitAsync(AppHost functionsHost, string userId)
    {
        // The Functions host has no dev sign-in; seed through the storage layer the HTTP functions use.
        var store = (CoachFunctions.Storage.Tables.UserDataStore)functionsHost.Services.GetService(typeof(CoachFunctions.Storage.Tables.UserDataStore))!;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        // Only habit_missed: a daily check-in (high priority) would otherwise take the one slot frequency control allows.
        await store.SavePreferencesAsync(userId, new CoachFunctions.Coaching.UserPreferences { EnabledTypes = ["habit_missed"], QuietHours = CoachFunctions.Coaching.QuietHours.Default with { Enabled = false } }, CancellationToken.None);
        await store.AddHabitAsync(userId, new CoachFunctions.Coaching.Habit(Guid.NewGuid().ToString("N"), "Stretching",
            CoachFunctions.Coaching.HabitSchedule.Daily, today.AddDays(-4), true, DateTimeOffset.UtcNow), CancellationToken.None);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
