using System.Net;
using System.Text.Json;
using CoachFunctions.Coaching;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.EndToEnd;

/// <summary>Preferences, habits, events and learning from feedback, on the local host and Azurite.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class UserDataEndToEndTests
{
    [Fact]
    public async Task Every_preference_is_settable_and_read_back_with_defaults_until_set()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("prefs"));

        var defaults = await user.JsonAsync(HttpMethod.Get, "/api/preferences");
        Assert.Equal("UTC", defaults.GetProperty("timeZone").GetString());
        Assert.Equal(5, defaults.GetProperty("maxPerDay").GetInt32());
        Assert.Equal("22:00", defaults.GetProperty("quietHours").GetProperty("start").GetString());
        Assert.Equal("sunday", defaults.GetProperty("reviewDay").GetString());
        Assert.Equal(0, defaults.GetProperty("learned").GetProperty("feedbackCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("customInstructions").ValueKind);
        Assert.Equal(13, defaults.EnumerateObject().Count()); // every field, set or not

        var put = await user.JsonAsync(HttpMethod.Put, "/api/preferences", new
        {
            timeZone = "Asia/Shanghai", locale = "zh-cn", preferredTime = "07:45", enabledTypes = new[] { "daily_checkin", "context_change" },
            maxPerDay = 20, maxPerHour = 1, minIntervalMinutes = 720, quietHours = new { enabled = true, start = "23:30", end = "06:15" },
            channels = new[] { "in_app", "push" }, reviewDay = "Friday", reviewTime = "18:00", customInstructions = "Call me Sam.\nKeep it light.",
        });
        var got = await user.JsonAsync(HttpMethod.Get, "/api/preferences");
        Assert.Equal(put.GetRawText(), got.GetRawText());
        Assert.Equal("zh-CN", got.GetProperty("locale").GetString());
        Assert.Equal("07:45", got.GetProperty("preferredTime").GetString());
        Assert.Equal(1, got.GetProperty("maxPerHour").GetInt32());
        Assert.Equal(720, got.GetProperty("minIntervalMinutes").GetInt32());
        Assert.Equal("06:15", got.GetProperty("quietHours").GetProperty("end").GetString());
        Assert.Equal(["in_app", "push"], got.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("friday", got.GetProperty("reviewDay").GetString());
        Assert.Equal("18:00", got.GetProperty("reviewTime").GetString());
        Assert.Equal("Call me Sam.\nKeep it light.", got.GetProperty("customInstructions").GetString());

        // Partial: omitted fields stay; disabling quiet hours keeps their times; an empty string clears the instructions.
        got = await user.JsonAsync(HttpMethod.Put, "/api/preferences", new { quietHours = new { enabled = false }, customInstructions = "" });
        Assert.False(got.GetProperty("quietHours").GetProperty("enabled").GetBoolean());
        Assert.Equal("23:30", got.GetProperty("quietHours").GetProperty("start").GetString());
        Assert.Equal(JsonValueKind.Null, got.GetProperty("customInstructions").ValueKind);
        Assert.Equal("Asia/Shanghai", got.GetProperty("timeZone").GetString());

        // The scan's summary sees the change.
        var snapshot = await host.Services.GetRequiredService<UserSnapshots>().GetAsync(user.UserId, CancellationToken.None);
        Assert.Equal(720, snapshot.Preferences.MinIntervalMinutes);
        Assert.False(snapshot.Preferences.QuietHours.Enabled);
    }

    [Fact]
    public async Task Habits_are_edited_paused_and_deleted_with_their_history_kept()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("habit"));
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3).ToString("yyyy-MM-dd");
        var created = await user.JsonAsync(HttpMethod.Post, "/api/habits", new { name = "Read", startDate = start, goalDays = 30 });
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(30, created.GetProperty("goalDays").GetInt32());
        await user.JsonAsync(HttpMethod.Post, $"/api/habits/{id}/completions", new { });

        var response = await user.SendJsonAsync(HttpMethod.Put, $"/api/habits/{id}", new { name = "Read 10 pages", daysOfWeek = new[] { "monday", "Thursday" }, goalDays = 66 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var etag = response.Headers.ETag!.ToString();
        var edited = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Read 10 pages", edited.GetProperty("name").GetString());
        Assert.Equal(["monday", "thursday"], edited.GetProperty("daysOfWeek").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(66, edited.GetProperty("goalDays").GetInt32());
        Assert.Equal(start, edited.GetProperty("startDate").GetString());

        // Pause with the current ETag; a stale one is refused with 412 and changes nothing.
        var pause = new HttpRequestMessage(HttpMethod.Put, $"/api/habits/{id}") { Content = JsonContent(new { active = false }) };
        pause.Headers.TryAddWithoutValidation("If-Match", etag);
        var paused = await SendAsync(user, host, pause);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.False(JsonDocument.Parse(await paused.Content.ReadAsStringAsync()).RootElement.GetProperty("active").GetBoolean());
        var before = await TestData.PartitionAsync(host, user.UserId);
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/habits/{id}") { Content = JsonContent(new { active = true }) };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await SendAsync(user, host, stale)).StatusCode);
        Assert.Equal(before, await TestData.PartitionAsync(host, user.UserId));
        var snapshot = await host.Services.GetRequiredService<UserSnapshots>().GetAsync(user.UserId, CancellationToken.None);
        Assert.False(Assert.Single(snapshot.Habits).Active);

        // Delete: 204, then gone (404), its completion kept as history.
        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync($"/api/habits/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.DeleteAsync($"/api/habits/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.SendJsonAsync(HttpMethod.Put, $"/api/habits/{id}", new { active = true })).StatusCode);
        Assert.Empty((await user.JsonAsync(HttpMethod.Get, "/api/habits")).GetProperty("items").EnumerateArray());
        Assert.Single(await TestData.RowsAsync(host, user.UserId, $"done_{id}_"));
        snapshot = await host.Services.GetRequiredService<UserSnapshots>().GetAsync(user.UserId, CancellationToken.None);
        Assert.Empty(snapshot.Habits);
    }

    [Fact]
    public async Task Events_are_stored_and_reach_the_summary()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("event"));
        var response = await user.SendJsonAsync(HttpMethod.Post, "/api/events", new { kind = "context_change", context = "travel", note = "Off to Lisbon" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        await user.JsonAsync(HttpMethod.Post, "/api/events", new { kind = "conversation" });
        await user.JsonAsync(HttpMethod.Post, "/api/events", new { kind = "progress", note = "Ran 5 km" });

        Assert.Equal(3, (await TestData.RowsAsync(host, user.UserId, "event_")).Count);
        var snapshot = await host.Services.GetRequiredService<UserSnapshots>().GetAsync(user.UserId, CancellationToken.None);
        var context = Assert.Single(snapshot.PendingContext);
        Assert.Equal((id, "travel", "Off to Lisbon"), (context.Id, context.Kind, context.Note));
        Assert.NotNull(snapshot.LastConversationAt);
        Assert.NotNull(snapshot.LastProgressAt);
    }

    [Fact]
    public async Task Feedback_is_distilled_into_a_learned_style_that_can_be_reset()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("learn"));
        var uid = user.UserId;

        // Four dislikes of long messages: stored, not yet distilled.
        var longMessage = string.Join(' ', Enumerable.Repeat("Here is a long and winding message from the coach.", 4));
        for (var i = 0; i < 4; i++)
        {
            var prompt = await TestData.PromptAsync(host, uid, PromptTypes.DailyCheckin, message: longMessage);
            var answer = await user.JsonAsync(HttpMethod.Post, $"/api/prompts/{prompt.Id}/feedback", new { kind = "dislike" });
            Assert.False(answer.GetProperty("distilled").GetBoolean());
        }
        var rows = await TestData.RowsAsync(host, uid, "feedback_");
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal(("dislike", "daily_checkin", "template", longMessage.Length),
            (r.GetString("Kind"), r.GetString("PromptType"), r.GetString("Strategy"), r.GetInt32("MessageLength"))));
        Assert.Equal(JsonValueKind.Null, (await user.JsonAsync(HttpMethod.Get, "/api/preferences")).GetProperty("learned").GetProperty("updatedAt").ValueKind);

        // The fifth, a correction, triggers distillation: counts say concise, the correction becomes a rule.
        var last = await TestData.PromptAsync(host, uid, PromptTypes.DailyCheckin);
        var fifth = await user.JsonAsync(HttpMethod.Post, $"/api/prompts/{last.Id}/feedback", new { kind = "correction", text = "  Please keep it shorter,\n no lectures.  " });
        Assert.True(fifth.GetProperty("distilled").GetBoolean());
        var learned = (await user.JsonAsync(HttpMethod.Get, "/api/preferences")).GetProperty("learned");
        Assert.Equal("concise", learned.GetProperty("style").GetString());
        Assert.Equal(["Please keep it shorter, no lectures."], learned.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(5, learned.GetProperty("feedbackCount").GetInt32());
        Assert.Equal(JsonValueKind.String, learned.GetProperty("updatedAt").ValueKind);
        // What GeneratePrompt reads when it composes a prompt.
        Assert.Equal("concise", (await host.Services.GetRequiredService<UserDataStore>().GetLearnedAsync(uid, CancellationToken.None)).Style);

        // Reset: forgotten, and older feedback no longer counts when distilling on demand.
        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync("/api/preferences/learned")).StatusCode);
        learned = (await user.JsonAsync(HttpMethod.Get, "/api/preferences")).GetProperty("learned");
        Assert.Equal(JsonValueKind.Null, learned.GetProperty("style").ValueKind);
        Assert.Empty(learned.GetProperty("rules").EnumerateArray());
        var empty = await user.JsonAsync(HttpMethod.Post, "/api/preferences/learned/distill");
        Assert.Equal(0, empty.GetProperty("feedbackCount").GetInt32());

        // On demand, with new feedback: a Chinese correction asking for warmth.
        await user.JsonAsync(HttpMethod.Post, $"/api/prompts/{last.Id}/feedback", new { kind = "correction", text = "语气再温柔一点" });
        var distilled = await user.JsonAsync(HttpMethod.Post, "/api/preferences/learned/distill");
        Assert.Equal("warm", distilled.GetProperty("style").GetString());
        Assert.Equal(["语气再温柔一点"], distilled.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(1, distilled.GetProperty("feedbackCount").GetInt32());
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> SendAsync(ApiClient user, AppHost host, HttpRequestMessage request)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        request.Headers.Authorization = new("Bearer", user.Token);
        return await http.SendAsync(request);
    }
}
