using System.Text.Json;
using CoachFunctions.Tests.EndToEnd;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Telemetry;

/// <summary>
/// Admin stats count every request the LLM server receives (llm.requests, by outcome), retries,
/// failures, timeouts and style distillation included, apart from the prompts that asked the model
/// (llm.prompts, one per prompt however many requests it took). Checked against the fake chat
/// server's own record, on a dedicated Azurite so no other test's messages reach this host.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class LlmRequestCountTests
{
    private const string Title = "A small step";
    private const string Message = "Two quiet minutes to check in with yourself today?";

    [Fact]
    public async Task The_request_count_is_what_the_llm_server_received()
    {
        await using var azurite = await Azurite.StartDedicatedAsync();
        await using var chat = await FakeChatServer.StartAsync();
        await using var host = await AppHost.StartLocalAsync(azurite, new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "openai-compatible",
            ["Llm:Endpoint"] = chat.V1.ToString(),
            ["Llm:Model"] = "coach-model",
            ["Generation:TimeoutSeconds"] = "4", // room for a slow first request on a busy machine; the timeout case waits 15 s
        });
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");

        // One generation at a time, so the scripted answers go to the generation they were written for.
        var valid = await GenerateAsync(host, admin, chat, c => c.EnqueueAnswer(Title, Message));
        await GenerateAsync(host, admin, chat, c => { c.EnqueueContent("not json"); c.EnqueueAnswer(Title, Message); });
        await GenerateAsync(host, admin, chat, c => { c.EnqueueContent("not json"); c.EnqueueContent("{\"title\":1}"); });
        await GenerateAsync(host, admin, chat, c => c.EnqueueStatus(500));
        await GenerateAsync(host, admin, chat, c => c.EnqueueStatus(429));
        await GenerateAsync(host, admin, chat, c => c.EnqueueDelayedAnswer(TimeSpan.FromSeconds(15), Title, Message));

        // Style distillation asks the same model: one more request.
        chat.EnqueueAnswer("concise", "Keep it short.");
        var promptId = (await valid.JsonAsync(HttpMethod.Get, "/api/prompts?state=")).GetProperty("items")[0].GetProperty("id").GetString();
        await valid.JsonAsync(HttpMethod.Post, $"/api/prompts/{promptId}/feedback", new { kind = "dislike", text = "Too long." });
        await valid.JsonAsync(HttpMethod.Post, "/api/preferences/learned/distill");

        var received = chat.Requests.Count;
        Assert.Equal(1 + 2 + 2 + 1 + 1 + 1 + 1, received);
        // The prompt is visible a moment before its figures are recorded: wait for all six.
        var llm = await Eventually.ValueAsync<JsonElement>(async () =>
        {
            var figures = (await admin.JsonAsync(HttpMethod.Get, "/api/admin/stats?days=2")).GetProperty("llm");
            return figures.TryGetProperty("prompts", out var p) && p.GetInt64() == 6 ? figures : null;
        }, TimeSpan.FromSeconds(10), "six prompts in the stats");

        Assert.Equal(received, llm.GetProperty("requests").GetInt64());
        AssertCounts(llm.GetProperty("requestsByOutcome"), ("answered", 6), ("error", 1), ("rate_limited", 1), ("timeout", 1));
        Assert.Equal(4, llm.GetProperty("fallbacks").GetInt64());
        AssertCounts(llm.GetProperty("fallbacksByReason"), ("invalid_output", 1), ("error", 1), ("rate_limited", 1), ("timeout", 1));
    }

    /// <summary>A new user (so no frequency limit applies), a queued daily check-in, and its prompt stored.</summary>
    private static async Task<ApiClient> GenerateAsync(AppHost host, ApiClient admin, FakeChatServer chat, Action<FakeChatServer> script)
    {
        var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("llm"));
        await user.JsonAsync(HttpMethod.Put, "/api/preferences", TestData.Permissive());
        script(chat);
        await admin.JsonAsync(HttpMethod.Post, "/api/admin/prompts/generate", new { userId = user.UserId, type = "daily_checkin" });
        await Eventually.GetAsync(async () =>
        {
            var items = (await user.JsonAsync(HttpMethod.Get, "/api/prompts?state=")).GetProperty("items");
            return items.GetArrayLength() > 0 ? "stored" : null;
        }, TimeSpan.FromSeconds(30), "the generated prompt");
        return user;
    }

    private static void AssertCounts(JsonElement counts, params (string Key, long Value)[] expected) =>
        Assert.Equal(expected.OrderBy(e => e.Key).Select(e => $"{e.Key}={e.Value}"),
            counts.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetInt64()}").Order());
}
