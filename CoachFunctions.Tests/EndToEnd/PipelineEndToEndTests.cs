using System.Net;
using System.Text.Json;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.EndToEnd;

/// <summary>
/// The whole pipeline on the local host and Azurite: scan → detections queue → GeneratePrompt →
/// deliveries queue → DeliverPrompt → SignalR over a real WebSocket → respond API.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class PipelineEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Missed_habit_prompt_reaches_only_its_user_and_complete_now_records_the_completion()
    {
        var azurite = await Azurite.SharedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite, new Dictionary<string, string?>
        {
            ["Stats:TableName"] = "stats" + Guid.NewGuid().ToString("N")[..12], // this host's measures only
        });
        using var alice = await ApiClient.SignInAsync(host, ApiClient.NewUserId("alice"));
        using var bob = await ApiClient.SignInAsync(host, ApiClient.NewUserId("bob"));
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");

        // Alice: a habit that started 3 days ago, never done. Bob: registered, nothing due for him.
        var startDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3).ToString("yyyy-MM-dd");
        await alice.JsonAsync(HttpMethod.Put, "/api/preferences", new { timeZone = "UTC", locale = "en", enabledTypes = new[] { "habit_missed" }, quietHours = new { enabled = false } });
        var habit = await alice.JsonAsync(HttpMethod.Post, "/api/habits", new { name = "Morning run", startDate });
        var habitId = habit.GetProperty("id").GetString()!;
        await bob.JsonAsync(HttpMethod.Put, "/api/preferences", new { timeZone = "Europe/Berlin", enabledTypes = new[] { "habit_missed" } });

        await using var aliceConnection = await SignalRTestClient.ConnectAsync(host, alice);
        await using var bobConnection = await SignalRTestClient.ConnectAsync(host, bob);

        var scan = await admin.JsonAsync(HttpMethod.Post, "/api/admin/scan");
        Assert.Equal(16, scan.GetProperty("shardsQueued").GetInt32());

        var pushed = await aliceConnection.WaitForAsync("coachingPrompt", Wait,
            args => args[0].GetProperty("type").GetString() == "habit_missed");
        Assert.NotNull(pushed);
        var prompt = pushed![0];
        var promptId = prompt.GetProperty("id").GetString()!;
        Assert.Equal(habitId, prompt.GetProperty("facts").GetProperty("habitId").GetString());
        Assert.Equal(3, prompt.GetProperty("facts").GetProperty("missedDays").GetInt32());
        Assert.Contains("Morning run", prompt.GetProperty("message").GetString());
        Assert.Contains(prompt.GetProperty("quickReplies").EnumerateArray(), r => r.GetProperty("value").GetString() == "complete_now");

        // Bob was connected the whole time and receives nothing.
        Assert.Null(await bobConnection.WaitForAsync("coachingPrompt", TimeSpan.FromSeconds(2)));

        // The prompt is listed, and Bob cannot see it.
        var list = await alice.JsonAsync(HttpMethod.Get, "/api/prompts");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetString() == promptId);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/prompts/{promptId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.SendJsonAsync(HttpMethod.Post, $"/api/prompts/{promptId}/respond", new { value = "complete_now" })).StatusCode);

        // complete_now records today's completion.
        var answer = await alice.JsonAsync(HttpMethod.Post, $"/api/prompts/{promptId}/respond", new { value = "complete_now" });
        Assert.Equal("complete_now", answer.GetProperty("action").GetString());
        Assert.Equal(habitId, answer.GetProperty("completion").GetProperty("habitId").GetString());
        var again = await alice.SendJsonAsync(HttpMethod.Post, "/api/habits/" + habitId + "/completions", new { });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode); // already done today: recorded by the answer
        var stored = await alice.JsonAsync(HttpMethod.Get, $"/api/prompts/{promptId}");
        Assert.Equal("responded", stored.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await alice.SendJsonAsync(HttpMethod.Post, $"/api/prompts/{promptId}/respond", new { value = "complete_now" })).StatusCode);

        // The follow-up (a prompt replying to the answered one) arrives the same way.
        Assert.NotNull(await aliceConnection.WaitForAsync("coachingPrompt", Wait, args => ReplyTo(args[0]) == promptId));

        // Scanning again makes no second prompt for the same moment.
        await admin.JsonAsync(HttpMethod.Post, "/api/admin/scan");
        Assert.Null(await aliceConnection.WaitForAsync("coachingPrompt", TimeSpan.FromSeconds(3),
            args => args[0].GetProperty("type").GetString() == "habit_missed" && ReplyTo(args[0]) is null));
        var after = await alice.JsonAsync(HttpMethod.Get, "/api/prompts?state=");
        Assert.Single(after.GetProperty("items").EnumerateArray(),
            p => p.GetProperty("type").GetString() == "habit_missed" && ReplyTo(p) is null);

        // The measures saw it: two ticks of 16 shards, at least Alice's prompt generated and pushed in-app.
        var stats = await admin.JsonAsync(HttpMethod.Get, "/api/admin/stats?days=1");
        Assert.Equal(32, stats.GetProperty("scan").GetProperty("shards").GetInt64());
        Assert.True(stats.GetProperty("generated").GetProperty("byType").GetProperty("habit_missed").GetInt64() >= 1);
        Assert.True(stats.GetProperty("deliveredByChannel").GetProperty("in_app").GetInt64() >= 1);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/api/admin/stats")).StatusCode);
    }

    /// <summary>Follow-ups name the prompt they answer; null members are not serialized.</summary>
    private static string? ReplyTo(JsonElement prompt) => prompt.TryGetProperty("replyTo", out var r) ? r.GetString() : null;

    [Fact]
    public async Task The_hub_accepts_only_tokens_minted_by_negotiate()
    {
        var azurite = await Azurite.SharedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite);
        using var carol = await ApiClient.SignInAsync(host, ApiClient.NewUserId("carol"));
        var hub = new Uri(host.BaseAddress, "/client/?hub=coaching");

        // A user token is not a hub token, and neither is a tampered negotiate token.
        Assert.Equal(401, await SignalRTestClient.TryConnectStatusAsync(hub, carol.Token));
        var negotiate = await carol.JsonAsync(HttpMethod.Post, "/api/negotiate");
        var token = negotiate.GetProperty("accessToken").GetString()!;
        Assert.Equal(200, await SignalRTestClient.TryConnectStatusAsync(hub, token));
        Assert.Equal(401, await SignalRTestClient.TryConnectStatusAsync(hub, token[..^2] + (token[^2] == 'A' ? "BB" : "AA")));
        Assert.Equal(401, await SignalRTestClient.TryConnectStatusAsync(new Uri(host.BaseAddress, "/client/?hub=other"), token));

        // Negotiate itself needs a user token.
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        var refused = await anonymous.PostAsync("/api/negotiate", null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        _ = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("title");
    }
}
