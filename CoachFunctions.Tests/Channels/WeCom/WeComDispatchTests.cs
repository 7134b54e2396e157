using System.Net;
using System.Text.Json;
using CoachFunctions.Channels.WeCom;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels.WeCom;
using CoachFunctions.Functions.SendToChannel;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Channels.WeCom;

/// <summary>
/// The whole WeCom chain on the real worker over the local host, Azurite and the loopback
/// <see cref="FakeWeComApi"/>, on the fixture's fake clock: a user accepts WeCom (PUT
/// /api/preferences), links the account through the kf link and writes to it; an admin-generated
/// medium-priority prompt (habit_missed) goes through GeneratePrompt, the dispatcher, the
/// channel-sends queue and SendToChannel to kf/send_msg. Outside WeCom's 48-hour window the attempt
/// is refused with its reason and the prompt falls back to in-app, over a real SignalR connection.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class WeComDispatchTests(WeComFixture f) : IClassFixture<WeComFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_medium_prompt_for_a_linked_user_who_wrote_within_48_hours_goes_out_once_on_wecom()
    {
        using var admin = await ApiClient.SignInAsync(f.Host, ApiClient.NewUserId("admin"), "admin");
        using var user = await f.SignInAsync("wecom-disp", TestZones.Daytime(f.Clock.GetUtcNow()));
        await AcceptWeComAsync(user);
        var ext = await f.LinkAsync(user);
        await f.WritesAsync(ext);
        await using var socket = await SignalRTestClient.ConnectAsync(f.Host, user);

        await GenerateMediumAsync(admin, user);

        var sent = await Eventually.GetAsync(async () => { await Task.Yield(); return f.Api.SentTo(ext).ToArray() is { Length: > 0 } a ? a : null; },
            Wait, "a kf/send_msg for the user");
        var stored = await SentPromptAsync(user);
        var id = stored.GetProperty("id").GetString()!;
        Assert.Equal(PromptTypes.HabitMissed, stored.GetProperty("type").GetString());
        Assert.Equal("medium", stored.GetProperty("priority").GetString());
        Assert.Equal("wecom", stored.GetProperty("channel").GetString());
        Assert.Equal(f.Clock.GetUtcNow(), stored.GetProperty("sentAt").GetDateTimeOffset());
        var attempt = Assert.Single(stored.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(("wecom", 1, "sent"), (attempt.GetProperty("channel").GetString(), attempt.GetProperty("attempt").GetInt32(), attempt.GetProperty("outcome").GetString()));

        var message = sent[0];
        Assert.Equal(ext, message.GetProperty("touser").GetString());
        Assert.Equal(f.Api.KfId, message.GetProperty("open_kfid").GetString());
        Assert.Equal(WeComSender.MsgId(ChannelDispatcher.DeliveryId(id, "wecom")), message.GetProperty("msgid").GetString());
        Assert.Equal("text", message.GetProperty("msgtype").GetString());
        Assert.False(string.IsNullOrWhiteSpace(message.GetProperty("text").GetProperty("content").GetString()));

        // Exactly once: not sent again on WeCom, and not pushed in-app as well.
        Assert.Null(await socket.WaitForAsync("coachingPrompt", TimeSpan.FromSeconds(3), args => args[0].GetProperty("id").GetString() == id));
        Assert.Single(f.Api.SentTo(ext));
        Assert.Single((await user.JsonAsync(HttpMethod.Get, $"/api/prompts/{id}")).GetProperty("deliveries").EnumerateArray());
    }

    [Fact]
    public async Task Outside_the_48_hour_window_wecom_refuses_with_its_reason_and_the_prompt_goes_in_app_over_SignalR()
    {
        using var admin = await ApiClient.SignInAsync(f.Host, ApiClient.NewUserId("admin"), "admin");
        // Daytime in the user's zone when the prompt is made, 48 hours and a minute after the user's last message.
        var later = TimeSpan.FromHours(48) + TimeSpan.FromMinutes(1);
        using var user = await f.SignInAsync("wecom-late", TestZones.Daytime(f.Clock.GetUtcNow() + later));
        await AcceptWeComAsync(user);
        var ext = await f.LinkAsync(user);
        await f.WritesAsync(ext);
        f.Clock.Advance(later);
        await using var socket = await SignalRTestClient.ConnectAsync(f.Host, user);

        await GenerateMediumAsync(admin, user);

        var pushed = await socket.WaitForAsync("coachingPrompt", Wait, args => args[0].GetProperty("type").GetString() == PromptTypes.HabitMissed);
        Assert.NotNull(pushed);
        Assert.Equal("in_app", pushed[0].GetProperty("channel").GetString());
        var id = pushed[0].GetProperty("id").GetString()!;
        var stored = await ChannelDeliveryTests.WaitForAsync(user, id, p => p.TryGetProperty("sentAt", out _), Wait);
        Assert.Equal("in_app", stored.GetProperty("channel").GetString());
        Assert.Equal("medium", stored.GetProperty("priority").GetString());
        var attempt = Assert.Single(stored.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(("wecom", 1, "refused"), (attempt.GetProperty("channel").GetString(), attempt.GetProperty("attempt").GetInt32(), attempt.GetProperty("outcome").GetString()));
        Assert.Equal(WeComRules.WindowClosed, attempt.GetProperty("reason").GetString());
        Assert.Equal(f.Clock.GetUtcNow(), attempt.GetProperty("at").GetDateTimeOffset());
        Assert.Empty(f.Api.SentTo(ext)); // refused here, before WeCom was asked
    }

    private static async Task AcceptWeComAsync(ApiClient user)
    {
        var response = await user.SendJsonAsync(HttpMethod.Put, "/api/preferences", new { channels = new[] { "in_app", "wecom" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["in_app", "wecom"], view.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
    }

    /// <summary>habit_missed is medium priority (AdminGeneratePromptFunction.Defaults, HabitMissedRule) and enabled by default.</summary>
    private static async Task GenerateMediumAsync(ApiClient admin, ApiClient user)
    {
        var queued = await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/prompts/generate",
            new { userId = user.UserId, type = PromptTypes.HabitMissed, facts = new { habitName = "Evening walk", missedDays = 2 } });
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
    }

    /// <summary>The user's prompt once it is marked sent, read back one by one (GET /api/prompts/{id}).</summary>
    private static async Task<JsonElement> SentPromptAsync(ApiClient user) =>
        await Eventually.ValueAsync(async () =>
        {
            var list = await user.JsonAsync(HttpMethod.Get, "/api/prompts");
            foreach (var item in list.GetProperty("items").EnumerateArray())
            {
                var p = await user.JsonAsync(HttpMethod.Get, $"/api/prompts/{item.GetProperty("id").GetString()}");
                if (p.TryGetProperty("sentAt", out _)) return (JsonElement?)p;
            }
            return null;
        }, Wait, "the prompt marked sent");
}
