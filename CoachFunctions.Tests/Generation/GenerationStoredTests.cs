using System.Text.Json;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Generation;

/// <summary>
/// The whole path on Azurite with the fake LLM: a detection queued for a zh-CN user goes through
/// GeneratePrompt, and the stored prompt records what actually wrote it — the model, or the
/// template after one retry of invalid output, a timeout or a 500.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class GenerationStoredTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public static TheoryData<string, string, int, string?> Scripts => new()
    {
        // script, expected strategy, requests the fake sees, fallback reason
        { "valid", "ai", 1, null },
        { "invalid-then-valid", "ai", 2, null },
        { "invalid-twice", "template", 2, "invalid_output" },
        { "timeout", "template", 1, "timeout" },
        { "500", "template", 1, "error" },
        { "429", "template", 1, "rate_limited" },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task The_stored_prompt_records_the_strategy_actually_used(string script, string strategy, int requests, string? fallback)
    {
        await using var chat = await FakeChatServer.StartAsync();
        const string chinese = "你已经三天没有练琴了，今天弹五分钟好吗？";
        switch (script)
        {
            case "valid": chat.EnqueueAnswer("练琴时间", chinese); break;
            case "invalid-then-valid": chat.EnqueueContent("```json\n{}\n```"); chat.EnqueueAnswer("练琴时间", chinese); break;
            case "invalid-twice": chat.EnqueueAnswer("Piano", "Practice piano now, see https://example.com"); chat.EnqueueAnswer("Piano", "Practice piano now, in English."); break;
            case "timeout": chat.EnqueueDelayedAnswer(TimeSpan.FromSeconds(4), "练琴时间", chinese); break;
            default: chat.EnqueueStatus(int.Parse(script)); break;
        }
        // An emulator of its own: no other test's queued work can reach this fake server.
        await using var azurite = await Azurite.StartDedicatedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite, new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "openai-compatible",
            ["Llm:Endpoint"] = chat.V1.ToString(),
            ["Llm:Model"] = "fake-model",
            ["Generation:TimeoutSeconds"] = "1",
        });
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("zh"));
        await user.JsonAsync(HttpMethod.Put, "/api/preferences", new
        {
            locale = "zh-CN", timeZone = "Asia/Shanghai", enabledTypes = new[] { "habit_missed" }, quietHours = new { enabled = false },
        });
        var habit = await user.JsonAsync(HttpMethod.Post, "/api/habits", new { name = "练琴" });

        await admin.JsonAsync(HttpMethod.Post, "/api/admin/prompts/generate", new
        {
            userId = user.UserId, type = "habit_missed",
            facts = new { habitId = habit.GetProperty("id").GetString(), habitName = "练琴", missedDays = 3 },
        });
        var prompt = await Eventually.ValueAsync(async () =>
        {
            var list = await user.JsonAsync(HttpMethod.Get, "/api/prompts");
            return list.GetProperty("items").EnumerateArray().Select(p => (JsonElement?)p).FirstOrDefault();
        }, Wait, "the stored prompt");

        Assert.Equal(strategy, prompt.GetProperty("strategy").GetString());
        var generation = prompt.GetProperty("generation");
        Assert.Equal(fallback, generation.TryGetProperty("fallbackReason", out var r) ? r.GetString() : null);
        Assert.Equal(requests, chat.Requests.Count);
        var message = prompt.GetProperty("message").GetString()!;
        if (strategy == "ai") Assert.Equal(chinese, message);
        else Assert.Contains("练琴", message); // the zh-CN template
        Assert.Equal("现在完成练琴", prompt.GetProperty("quickReplies")[0].GetProperty("text").GetString());
    }
}
