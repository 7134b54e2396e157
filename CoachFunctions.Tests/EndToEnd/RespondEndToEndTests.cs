using System.Net;
using System.Text.Json;
using CoachFunctions.Coaching;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.EndToEnd;

/// <summary>
/// Every answer to a prompt on the local host and Azurite: what is stored (the prompt's state, the
/// interaction with its response time, the completion or interruption, the follow-up prompt) and
/// the follow-up, stored as sent with the answer, pushed over SignalR.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class RespondEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private sealed record Setup(AppHost Host, ApiClient User, SignalRTestClient Connection, string HabitId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Connection.DisposeAsync();
            User.Dispose();
            await Host.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync(string locale = "en", Dictionary<string, string?>? settings = null)
    {
        var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), settings);
        var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("resp"));
        await user.JsonAsync(HttpMethod.Put, "/api/preferences", TestData.Permissive(locale));
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-5).ToString("yyyy-MM-dd");
        var habit = await user.JsonAsync(HttpMethod.Post, "/api/habits", new { name = "Morning run", startDate = start });
        return new Setup(host, user, await SignalRTestClient.ConnectAsync(host, user), habit.GetProperty("id").GetString()!);
    }

    private static string? ReplyTo(JsonElement prompt) => prompt.TryGetProperty("replyTo", out var r) ? r.GetString() : null;

    [Theory]
    [InlineData(PromptTypes.HabitMissed, "complete_now", "celebrate_completion", "en")]
    [InlineData(PromptTypes.HabitMissed, "skip_today", "recovery_plan", "en")]
    [InlineData(PromptTypes.HabitMissed, "adjust_habit", "habit_adjustment_flow", "en")]
    [InlineData(PromptTypes.HabitMissed, "talk_about_challenge", "coaching_dialogue", "zh-CN")]
    [InlineData(PromptTypes.DailyCheckin, "share_plan", "plan_sharing", "en")]
    [InlineData(PromptTypes.DailyCheckin, "review_yesterday", "progress_review", "zh-CN")]
    [InlineData(PromptTypes.DailyCheckin, "need_encouragement", "encouragement", "en")]
    [InlineData(PromptTypes.DailyCheckin, null, "continue_coaching", "en")]
    public async Task Each_answer_is_stored_atomically_and_its_follow_up_arrives_over_SignalR(string type, string? value, string nextStep, string locale)
    {
        await using var s = await StartAsync(locale);
        var facts = type == PromptTypes.HabitMissed ? TestData.HabitFacts(s.HabitId, "Morning run") : null;
        var prompt = await TestData.PromptAsync(s.Host, s.User.UserId, type, facts, locale);
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd");
        if (value == "complete_now")
            await s.User.JsonAsync(HttpMethod.Post, $"/api/habits/{s.HabitId}/completions", new { date = yesterday });

        object body = value is null ? new { text = "I was travelling this week." } : new { value };
        var answer = await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{prompt.Id}/respond", body);
        Assert.Equal(value ?? "free_text", answer.GetProperty("action").GetString());
        Assert.Equal(nextStep, answer.GetProperty("nextStep").GetString());
        var followUp = answer.GetProperty("followUp");
        var followUpId = followUp.GetProperty("id").GetString()!;
        Assert.Equal(prompt.Id, ReplyTo(followUp));
        Assert.Equal(type, followUp.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(followUp.GetProperty("message").GetString()));
        if (locale == "zh-CN") Assert.Contains(followUp.GetProperty("message").GetString()!, c => c >= '\u4e00' && c <= '\u9fff');

        // The same delivery path as every prompt: deliveries queue → DeliverPrompt → SignalR.
        var pushed = await s.Connection.WaitForAsync("coachingPrompt", Wait, args => args[0].GetProperty("id").GetString() == followUpId);
        Assert.NotNull(pushed);
        Assert.Equal(prompt.Id, ReplyTo(pushed![0]));

        // Stored: the answered prompt, the follow-up prompt, the interaction with its response time.
        var stored = await s.User.JsonAsync(HttpMethod.Get, $"/api/prompts/{prompt.Id}");
        Assert.Equal("responded", stored.GetProperty("state").GetString());
        Assert.Equal(value ?? "free_text", stored.GetProperty("response").GetString());
        var storedFollowUp = await s.User.JsonAsync(HttpMethod.Get, $"/api/prompts/{followUpId}");
        Assert.Equal(prompt.Id, ReplyTo(storedFollowUp));
        var interaction = Assert.Single(await TestData.RowsAsync(s.Host, s.User.UserId, "interaction_"));
        Assert.Equal(prompt.Id, interaction.GetString("PromptId"));
        Assert.Equal(followUpId, interaction.GetString("FollowUpId"));
        Assert.Equal(value ?? "free_text", interaction.GetString("Action"));
        Assert.True(interaction.GetDouble("ResponseSeconds") >= 0);
        if (value is null) Assert.Equal("I was travelling this week.", interaction.GetString("Text"));

        var completions = await TestData.RowsAsync(s.Host, s.User.UserId, $"done_{s.HabitId}_{TestData.Today}");
        var interruptions = await TestData.RowsAsync(s.Host, s.User.UserId, "interruption_");
        if (value == "complete_now")
        {
            Assert.Single(completions);
            Assert.Equal(2, answer.GetProperty("streak").GetInt32());
            Assert.Contains("2-day streak", followUp.GetProperty("message").GetString());
            Assert.Equal(HttpStatusCode.Conflict, (await s.User.SendJsonAsync(HttpMethod.Post, $"/api/habits/{s.HabitId}/completions", new { })).StatusCode);
        }
        else Assert.Empty(completions);
        if (value == "skip_today")
        {
            var interruption = Assert.Single(interruptions);
            Assert.Equal($"interruption_{s.HabitId}_{TestData.Today}", interruption.RowKey);
            Assert.Equal("user_skipped", interruption.GetString("Reason"));
            Assert.Contains(followUp.GetProperty("quickReplies").EnumerateArray(), r => r.GetProperty("value").GetString() == "adjust_habit");
        }
        else Assert.Empty(interruptions);

        // Follow-ups are conversation, not the coach speaking up: frequency control does not count them.
        var snapshot = await s.Host.Services.GetRequiredService<UserSnapshots>().GetAsync(s.User.UserId, CancellationToken.None);
        Assert.Contains(snapshot.RecentPrompts, p => p.Id == prompt.Id);
        Assert.DoesNotContain(snapshot.RecentPrompts, p => p.Id == followUpId);

        // Twice: refused clearly, and nothing more is written.
        var before = await TestData.PartitionAsync(s.Host, s.User.UserId);
        var again = await s.User.SendJsonAsync(HttpMethod.Post, $"/api/prompts/{prompt.Id}/respond", body);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already answered", await again.Content.ReadAsStringAsync());
        Assert.Equal(before, await TestData.PartitionAsync(s.Host, s.User.UserId));
    }

    [Fact]
    public async Task Follow_ups_can_be_answered_in_turn()
    {
        await using var s = await StartAsync();
        var prompt = await TestData.PromptAsync(s.Host, s.User.UserId, PromptTypes.HabitMissed, TestData.HabitFacts(s.HabitId, "Morning run"));
        var skip = await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{prompt.Id}/respond", new { value = "skip_today" });
        var followUpId = skip.GetProperty("followUp").GetProperty("id").GetString()!;
        var second = await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{followUpId}/respond", new { value = "adjust_habit" });
        Assert.Equal(followUpId, ReplyTo(second.GetProperty("followUp")));
        Assert.Equal(2, (await TestData.RowsAsync(s.Host, s.User.UserId, "interaction_")).Count);
    }

    [Fact]
    public async Task Dismissed_and_expired_prompts_cannot_be_answered()
    {
        await using var s = await StartAsync();
        var uid = s.User.UserId;

        // Dismiss: 204, again 204; answering it is 409 and writes nothing.
        var dismissed = await TestData.PromptAsync(s.Host, uid, PromptTypes.DailyCheckin);
        Assert.Equal(HttpStatusCode.NoContent, (await s.User.DeleteAsync($"/api/prompts/{dismissed.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await s.User.DeleteAsync($"/api/prompts/{dismissed.Id}")).StatusCode);
        Assert.Equal("dismissed", (await s.User.JsonAsync(HttpMethod.Get, $"/api/prompts/{dismissed.Id}")).GetProperty("state").GetString());
        var before = await TestData.PartitionAsync(s.Host, uid);
        var refused = await s.User.SendJsonAsync(HttpMethod.Post, $"/api/prompts/{dismissed.Id}/respond", new { value = "share_plan" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("dismissed", await refused.Content.ReadAsStringAsync());
        Assert.Equal(before, await TestData.PartitionAsync(s.Host, uid));

        // Expired by time while still open: 409, and the prompt is marked expired.
        var stale = await TestData.PromptAsync(s.Host, uid, PromptTypes.DailyCheckin,
            createdAt: DateTimeOffset.UtcNow.AddHours(-3), expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        var late = await s.User.SendJsonAsync(HttpMethod.Post, $"/api/prompts/{stale.Id}/respond", new { value = "share_plan" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("expired", await late.Content.ReadAsStringAsync());
        Assert.Equal("expired", (await s.User.JsonAsync(HttpMethod.Get, $"/api/prompts/{stale.Id}")).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await s.User.SendJsonAsync(HttpMethod.Post, $"/api/prompts/{stale.Id}/respond", new { text = "hi" })).StatusCode);
        Assert.Empty(await TestData.RowsAsync(s.Host, uid, "interaction_"));

        // An answered prompt cannot be dismissed.
        var answered = await TestData.PromptAsync(s.Host, uid, PromptTypes.DailyCheckin);
        await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{answered.Id}/respond", new { value = "need_encouragement" });
        Assert.Equal(HttpStatusCode.Conflict, (await s.User.DeleteAsync($"/api/prompts/{answered.Id}")).StatusCode);
    }

    [Fact]
    public async Task Later_snoozes_and_the_prompt_is_delivered_again()
    {
        // Snooze for 3 seconds instead of 2 hours.
        await using var s = await StartAsync(settings: new() { ["Coaching:SnoozeMinutes"] = "0.05" });
        var prompt = await TestData.PromptAsync(s.Host, s.User.UserId, PromptTypes.DailyCheckin);

        var answer = await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{prompt.Id}/respond", new { value = "later" });
        Assert.Equal("deferred", answer.GetProperty("nextStep").GetString());
        var until = answer.GetProperty("snoozedUntil").GetDateTimeOffset();
        Assert.True(until > prompt.CreatedAt);
        var stored = await s.User.JsonAsync(HttpMethod.Get, $"/api/prompts/{prompt.Id}");
        Assert.Equal("scheduled", stored.GetProperty("state").GetString());
        Assert.Equal(until, stored.GetProperty("deliverAt").GetDateTimeOffset());

        // The acknowledgement arrives now; the prompt itself again once the snooze is over, still answerable.
        var followUpId = answer.GetProperty("followUp").GetProperty("id").GetString();
        Assert.NotNull(await s.Connection.WaitForAsync("coachingPrompt", Wait, args => args[0].GetProperty("id").GetString() == followUpId));
        var again = await s.Connection.WaitForAsync("coachingPrompt", Wait, args => args[0].GetProperty("id").GetString() == prompt.Id);
        Assert.NotNull(again);
        Assert.Equal("pending", again![0].GetProperty("state").GetString());
        Assert.True(DateTimeOffset.UtcNow >= until.AddSeconds(-2));
        var done = await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{prompt.Id}/respond", new { value = "share_plan" });
        Assert.Equal("share_plan", done.GetProperty("action").GetString());
    }

    [Fact]
    public async Task Later_is_refused_when_the_prompt_would_expire_first()
    {
        await using var s = await StartAsync(); // the default snooze: two hours
        var prompt = await TestData.PromptAsync(s.Host, s.User.UserId, PromptTypes.DailyCheckin, expiresAt: DateTimeOffset.UtcNow.AddMinutes(30));
        var before = await TestData.PartitionAsync(s.Host, s.User.UserId);
        var refused = await s.User.SendJsonAsync(HttpMethod.Post, $"/api/prompts/{prompt.Id}/respond", new { value = "later" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("expire first", await refused.Content.ReadAsStringAsync());
        Assert.Equal(before, await TestData.PartitionAsync(s.Host, s.User.UserId));
    }

    [Fact]
    public async Task Ack_moves_forward_only_and_the_list_serves_offline_catch_up()
    {
        await using var s = await StartAsync();
        var uid = s.User.UserId;
        var old = await TestData.PromptAsync(s.Host, uid, PromptTypes.DailyCheckin, createdAt: DateTimeOffset.UtcNow.AddHours(-6));
        var since = DateTimeOffset.UtcNow.AddHours(-1);
        var pending = await TestData.PromptAsync(s.Host, uid, PromptTypes.DailyCheckin);
        var delivered = await TestData.PromptAsync(s.Host, uid, PromptTypes.DailyCheckin);
        var seen = await TestData.PromptAsync(s.Host, uid, PromptTypes.DailyCheckin);
        var answered = await TestData.PromptAsync(s.Host, uid, PromptTypes.DailyCheckin);

        var ack = await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{delivered.Id}/ack", new { status = "delivered" });
        Assert.Equal("delivered", ack.GetProperty("state").GetString());
        Assert.True(ack.TryGetProperty("deliveredAt", out _));
        ack = await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{seen.Id}/ack", new { status = "seen" });
        Assert.Equal("seen", ack.GetProperty("state").GetString());
        Assert.True(ack.TryGetProperty("deliveredAt", out _)); // seen implies delivered
        Assert.True(ack.TryGetProperty("seenAt", out _));

        // Idempotent and forward-only: acknowledging delivery of a seen prompt changes nothing.
        var before = await TestData.PartitionAsync(s.Host, uid);
        Assert.Equal("seen", (await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{seen.Id}/ack", new { status = "delivered" })).GetProperty("state").GetString());
        Assert.Equal("seen", (await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{seen.Id}/ack", new { status = "seen" })).GetProperty("state").GetString());
        Assert.Equal(before, await TestData.PartitionAsync(s.Host, uid));

        // Answered: a no-op 200 with the current state.
        await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{answered.Id}/respond", new { value = "share_plan" });
        var follow = (await s.User.JsonAsync(HttpMethod.Get, $"/api/prompts/{answered.Id}"));
        Assert.Equal("responded", (await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{answered.Id}/ack", new { status = "seen" })).GetProperty("state").GetString());
        Assert.Equal("responded", follow.GetProperty("state").GetString());

        // Catch-up: what is not acknowledged or answered since the client left, newest first.
        var list = await s.User.JsonAsync(HttpMethod.Get, $"/api/prompts?state=pending,delivered,seen&since={Uri.EscapeDataString(since.ToString("O"))}");
        var ids = list.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Contains(pending.Id, ids);
        Assert.Contains(delivered.Id, ids);
        Assert.Contains(seen.Id, ids);
        Assert.DoesNotContain(answered.Id, ids);
        Assert.DoesNotContain(old.Id, ids);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids); // ids sort newest first

        // Paged with continuation tokens.
        var page = await s.User.JsonAsync(HttpMethod.Get, "/api/prompts?limit=2");
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        var token = page.GetProperty("continuationToken").GetString()!;
        var next = await s.User.JsonAsync(HttpMethod.Get, $"/api/prompts?limit=2&continuationToken={token}");
        Assert.DoesNotContain(next.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()),
            id => page.GetProperty("items").EnumerateArray().Any(p => p.GetProperty("id").GetString() == id));
    }

    [Fact]
    public async Task Admin_generate_queues_a_detection_that_reaches_the_user()
    {
        await using var s = await StartAsync();
        using var admin = await ApiClient.SignInAsync(s.Host, ApiClient.NewUserId("admin"), "admin");
        Assert.Equal(HttpStatusCode.Forbidden,
            (await s.User.SendJsonAsync(HttpMethod.Post, "/api/admin/prompts/generate", new { userId = s.User.UserId, type = "daily_checkin" })).StatusCode);

        var queued = await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/prompts/generate",
            new { userId = s.User.UserId, type = "habit_missed", facts = new { habitId = s.HabitId, habitName = "Morning run", missedDays = 2 } });
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var receipt = JsonDocument.Parse(await queued.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("habit_missed:admin:", receipt.GetProperty("dedupeKey").GetString());
        Assert.Contains("frequency control", receipt.GetProperty("note").GetString());

        var pushed = await s.Connection.WaitForAsync("coachingPrompt", Wait, args => args[0].GetProperty("type").GetString() == "habit_missed");
        Assert.NotNull(pushed);
        var promptId = pushed![0].GetProperty("id").GetString()!;
        var answer = await s.User.JsonAsync(HttpMethod.Post, $"/api/prompts/{promptId}/respond", new { value = "complete_now" });
        Assert.Equal(s.HabitId, answer.GetProperty("completion").GetProperty("habitId").GetString());
    }
}
