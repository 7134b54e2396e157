using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Generation;

/// <summary>
/// The local host on Azurite with its Llm settings pointing at the fake chat server: a scan's
/// detection goes through the queue to GeneratePrompt, whose prompt the model wrote.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class GenerationEndToEndTests
{
    [Fact]
    public async Task A_scanned_moment_is_stored_as_the_models_prompt()
    {
        await using var chat = await FakeChatServer.StartAsync();
        // Every user in the shared Azurite may be scanned: all of them get this answer.
        chat.SetDefaultAnswer("Reading, gently", "Three quiet days happen to everyone. Ten pages of Reading tonight?");
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "azure-openai",
            ["Llm:Endpoint"] = chat.AzureEndpoint.ToString(),
            ["Llm:Model"] = "coach-deployment",
            ["Llm:ApiKey"] = "e2e-test-key",
        });
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("llm"));
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");
        var startDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3).ToString("yyyy-MM-dd");
        await user.JsonAsync(HttpMethod.Put, "/api/preferences", new { timeZone = "UTC", locale = "en", enabledTypes = new[] { "habit_missed" } });
        await user.JsonAsync(HttpMethod.Post, "/api/habits", new { name = "Reading", startDate });

        await admin.JsonAsync(HttpMethod.Post, "/api/admin/scan");
        var id = await Eventually.GetAsync(async () =>
        {
            var list = await user.JsonAsync(HttpMethod.Get, "/api/prompts?state=");
            return list.GetProperty("items").EnumerateArray()
                .Where(p => p.GetProperty("type").GetString() == "habit_missed")
                .Select(p => p.GetProperty("id").GetString()).FirstOrDefault();
        }, TimeSpan.FromSeconds(30), "the habit_missed prompt");

        var prompt = await user.JsonAsync(HttpMethod.Get, $"/api/prompts/{id}");
        Assert.Equal("ai", prompt.GetProperty("strategy").GetString());
        Assert.Equal("Reading, gently", prompt.GetProperty("title").GetString());
        Assert.Equal("Three quiet days happen to everyone. Ten pages of Reading tonight?", prompt.GetProperty("message").GetString());
        Assert.Contains(prompt.GetProperty("quickReplies").EnumerateArray(), r => r.GetProperty("value").GetString() == "complete_now");

        // The generation record is stored with the prompt and shown in its view.
        var generation = prompt.GetProperty("generation");
        Assert.Equal("fake-model", generation.GetProperty("model").GetString());
        Assert.Equal(120, generation.GetProperty("promptTokens").GetInt32());
        Assert.False(generation.TryGetProperty("fallbackReason", out _));

        Assert.Contains(chat.Requests, r => r.Path == "/openai/deployments/coach-deployment/chat/completions" && r.User.Contains("\"habitName\":\"Reading\""));
    }
}
