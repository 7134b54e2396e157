using System.Text.Json;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.EndToEnd;

/// <summary>
/// Feedback changes how the coach writes: corrections are distilled (by the LLM) into a learned style and rules,
/// shown in the preferences, and the next prompt's LLM request (seen by the loopback fake) carries
/// them; after a reset it no longer does.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class LearningEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const string ConciseGuidance = "Keep it to one short sentence";

    [Fact]
    public async Task A_learned_preference_changes_the_composed_llm_request()
    {
        await using var chat = await FakeChatServer.StartAsync();
        chat.SetDefaultAnswer("A small step today", "One small step today keeps your habit alive. Shall we start now?");
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "openai-compatible",
            ["Llm:Endpoint"] = chat.V1.ToString(),
            ["Llm:Model"] = "fake-model",
        });
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("learner"));
        await user.JsonAsync(HttpMethod.Put, "/api/preferences", new
        {
            enabledTypes = new[] { "habit_missed", "daily_checkin", "progress_stalled" },
            minIntervalMinutes = 0,
            maxPerHour = 10,
            quietHours = new { enabled = false, start = "22:00", end = "08:00" },
        });
        var habit = await user.JsonAsync(HttpMethod.Post, "/api/habits", new { name = "Piano practice" });
        var habitId = habit.GetProperty("id").GetString()!;

        var first = await GenerateAsync(admin, user, "habit_missed", new { habitId, habitName = "Piano practice", missedDays = 2 });
        var before = RequestFor(chat, "Piano practice");
        Assert.DoesNotContain(ConciseGuidance, before);

        // Five corrections: the fifth triggers distillation, which the LLM does (counting is its fallback).
        for (var i = 0; i < 4; i++)
            await user.JsonAsync(HttpMethod.Post, $"/api/prompts/{first}/feedback", new { kind = "correction", text = $"Too long, shorter please ({i})" });
        chat.EnqueueAnswer("concise", "Say it in one sentence; shorter please.\n- No exclamation marks");
        await user.JsonAsync(HttpMethod.Post, $"/api/prompts/{first}/feedback", new { kind = "correction", text = "Too long, shorter please (4)" });
        var distillation = Assert.Single(chat.Requests, r => r.System.Contains("how one user likes to be spoken to"));
        Assert.Contains("<user_data>", distillation.User);
        Assert.Contains("shorter please (4)", distillation.User);
        var learned = (await user.JsonAsync(HttpMethod.Get, "/api/preferences")).GetProperty("learned");
        Assert.Equal("concise", learned.GetProperty("style").GetString());
        Assert.Equal(["Say it in one sentence; shorter please.", "No exclamation marks"], learned.GetProperty("rules").EnumerateArray().Select(r => r.GetString()!));

        var requestsBefore = chat.Requests.Count;
        await GenerateAsync(admin, user, "daily_checkin", new { });
        var after = string.Join("\n", chat.Requests.Skip(requestsBefore).Select(r => r.System + "\n" + r.User));
        Assert.Contains(ConciseGuidance, after);
        Assert.Contains("No exclamation marks", after);

        // Reset: the learned part is gone from the preferences and from the next request.
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await user.DeleteAsync("/api/preferences/learned")).StatusCode);
        Assert.False((await user.JsonAsync(HttpMethod.Get, "/api/preferences")).GetProperty("learned").TryGetProperty("style", out var style) && style.ValueKind == JsonValueKind.String);
        requestsBefore = chat.Requests.Count;
        await GenerateAsync(admin, user, "progress_stalled", new { daysSince = 3 });
        var reset = string.Join("\n", chat.Requests.Skip(requestsBefore).Select(r => r.System + "\n" + r.User));
        Assert.DoesNotContain(ConciseGuidance, reset);
        Assert.DoesNotContain("No exclamation marks", reset);
    }

    private static async Task<string> GenerateAsync(ApiClient admin, ApiClient user, string type, object facts)
    {
        await admin.JsonAsync(HttpMethod.Post, "/api/admin/prompts/generate", new { userId = user.UserId, type, facts });
        return await Eventually.GetAsync(async () =>
        {
            var list = await user.JsonAsync(HttpMethod.Get, "/api/prompts");
            return list.GetProperty("items").EnumerateArray()
                .Where(p => p.GetProperty("type").GetString() == type && !p.TryGetProperty("replyTo", out _))
                .Select(p => p.GetProperty("id").GetString()).FirstOrDefault();
        }, Wait, $"the {type} prompt");
    }

    private static string RequestFor(FakeChatServer chat, string marker) =>
        chat.Requests.Where(r => r.User.Contains(marker)).Select(r => r.System + "\n" + r.User).First();
}
