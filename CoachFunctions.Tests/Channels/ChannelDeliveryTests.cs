using System.Net;
using System.Text.Json;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Channels;

/// <summary>
/// Channels beyond in-app, on the real worker over the local host, Azurite and loopback webhook
/// receivers: a prompt goes to the push or e-mail provider signed (Standard Webhooks), retries keep
/// its webhook-id, five failures mark the channel failed and the prompt goes in-app over SignalR,
/// a 4xx moves on at once. Every attempt is on the prompt (GET /api/prompts/{id}) and in the stats.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class ChannelDeliveryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string?> Settings(Uri? push = null, Uri? email = null) => new()
    {
        ["Channels:Push:WebhookUrl"] = push?.ToString(),
        ["Channels:Email:WebhookUrl"] = email?.ToString(),
        ["Channels:WebhookSecret"] = WebhookReceiver.Secret,
    };

    [Fact]
    public async Task A_medium_prompt_from_the_scan_reaches_the_push_webhook_signed_and_is_marked_sent_on_push()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => (200, null));
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), Settings(push: receiver.Url));
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");
        using var ada = await ApiClient.SignInAsync(host, ApiClient.NewUserId("ada"));
        await SetContactsAsync(ada, new { devices = new[] { new { token = "fcm-token-1", platform = "android" } } });
        await SeedMissedHabitAsync(host, ada.UserId, [DeliveryChannels.InApp, DeliveryChannels.Push]);

        await admin.JsonAsync(HttpMethod.Post, "/api/admin/scan");

        var hook = await Eventually.GetAsync(async () => { await Task.Yield(); return receiver.Received.FirstOrDefault(); }, Wait, "the push webhook");
        Assert.True(hook.Verifies(WebhookReceiver.Secret), "the signature verifies with the secret");
        Assert.InRange(long.Parse(hook.Timestamp), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        var body = hook.Json;
        var id = body.GetProperty("promptId").GetString()!;
        Assert.Equal("prompt", body.GetProperty("kind").GetString());
        Assert.Equal(hook.Id, body.GetProperty("deliveryId").GetString());
        Assert.Equal(ada.UserId, body.GetProperty("userId").GetString());
        Assert.Equal("push", body.GetProperty("channel").GetString());
        Assert.Equal(PromptTypes.HabitMissed, body.GetProperty("type").GetString());
        Assert.Equal("medium", body.GetProperty("priority").GetString());
        Assert.Equal("fcm-token-1", body.GetProperty("devices")[0].GetProperty("token").GetString());
        Assert.NotEmpty(body.GetProperty("quickReplies").EnumerateArray());
        Assert.Contains(id, body.GetProperty("deepLink").GetString());

        var prompt = await Eventually.ValueAsync(async () =>
        {
            var p = await ada.JsonAsync(HttpMethod.Get, $"/api/prompts/{id}");
            return p.TryGetProperty("sentAt", out _) ? (JsonElement?)p : null;
        }, Wait);
        Assert.Equal("push", prompt.GetProperty("channel").GetString());
        var attempt = Assert.Single(prompt.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(("push", 1, "sent"), (attempt.GetProperty("channel").GetString(), attempt.GetProperty("attempt").GetInt32(), attempt.GetProperty("outcome").GetString()));
        Assert.Single(receiver.Received);

        var stats = await admin.JsonAsync(HttpMethod.Get, "/api/admin/stats?days=1");
        Assert.True(stats.GetProperty("deliveredByChannel").GetProperty("push").GetInt64() >= 1);
    }

    [Fact]
    public async Task A_retry_carries_the_same_webhook_id_and_is_recorded_as_a_second_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(n => n == 1 ? (503, "1") : (200, null));
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), Settings(push: receiver.Url));
        using var bea = await ApiClient.SignInAsync(host, ApiClient.NewUserId("bea"));
        await SetContactsAsync(bea, new { devices = new[] { new { token = "apns-1", platform = "ios" } } });
        var prompt = await StoreAndDeliverAsync(host, bea.UserId, Priority.Medium, [DeliveryChannels.InApp, DeliveryChannels.Push]);

        var stored = await WaitForAsync(bea, prompt.Id, p => p.TryGetProperty("sentAt", out _));
        Assert.Equal(2, receiver.Received.Count);
        Assert.Equal(receiver.Received[0].Id, receiver.Received[1].Id);
        Assert.All(receiver.Received, r => Assert.True(r.Verifies(WebhookReceiver.Secret)));
        Assert.Equal([("retry_later", 1), ("sent", 2)], Outcomes(stored));
        Assert.Equal("http 503", stored.GetProperty("deliveries")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_receiver_failing_five_times_marks_the_channel_failed_and_the_prompt_goes_in_app()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => (500, "1"));
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), Settings(push: receiver.Url));
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");
        using var cy = await ApiClient.SignInAsync(host, ApiClient.NewUserId("cy"));
        await SetContactsAsync(cy, new { devices = new[] { new { token = "web-sub-1", platform = "web" } } });
        await using var socket = await SignalRTestClient.ConnectAsync(host, cy);
        var prompt = await StoreAndDeliverAsync(host, cy.UserId, Priority.Medium, [DeliveryChannels.InApp, DeliveryChannels.Push]);

        var pushed = await socket.WaitForAsync("coachingPrompt", TimeSpan.FromSeconds(90), args => args[0].GetProperty("id").GetString() == prompt.Id);
        Assert.NotNull(pushed);
        var stored = await WaitForAsync(cy, prompt.Id, p => p.TryGetProperty("sentAt", out _));
        Assert.Equal("in_app", stored.GetProperty("channel").GetString());
        Assert.Equal([("retry_later", 1), ("retry_later", 2), ("retry_later", 3), ("retry_later", 4), ("failed", 5)], Outcomes(stored));
        Assert.Equal(5, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.Id).Distinct());

        var stats = await admin.JsonAsync(HttpMethod.Get, "/api/admin/stats?days=1");
        Assert.True(stats.GetProperty("failedByChannel").GetProperty("push").GetInt64() >= 1);
        Assert.True(stats.GetProperty("deliveredByChannel").GetProperty("in_app").GetInt64() >= 1);
    }

    [Fact]
    public async Task A_4xx_moves_to_the_next_channel_at_once()
    {
        await using var push = await WebhookReceiver.StartAsync(_ => (410, null));
        await using var email = await WebhookReceiver.StartAsync(_ => (202, null));
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), Settings(push: push.Url, email: email.Url));
        using var dee = await ApiClient.SignInAsync(host, ApiClient.NewUserId("dee"));
        await SetContactsAsync(dee, new { email = "dee@example.com", devices = new[] { new { token = "t-1", platform = "android" } } });
        // High priority, in-app not accepted: push, else e-mail.
        var prompt = await StoreAndDeliverAsync(host, dee.UserId, Priority.High, [DeliveryChannels.Push, DeliveryChannels.Email]);

        var stored = await WaitForAsync(dee, prompt.Id, p => p.TryGetProperty("sentAt", out _));
        Assert.Equal("email", stored.GetProperty("channel").GetString());
        Assert.Equal([("refused", 1), ("sent", 1)], Outcomes(stored));
        Assert.Single(push.Received);
        var mail = Assert.Single(email.Received);
        Assert.Equal("dee@example.com", mail.Json.GetProperty("email").GetString());
        Assert.NotEqual(push.Received[0].Id, mail.Id); // per prompt and channel
    }

    [Fact]
    public async Task The_default_in_app_user_gets_the_prompt_over_SignalR_and_no_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => (200, null));
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), Settings(push: receiver.Url, email: receiver.Url));
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");
        using var eve = await ApiClient.SignInAsync(host, ApiClient.NewUserId("eve"));
        await SetContactsAsync(eve, new { email = "eve@example.com", devices = new[] { new { token = "t-2", platform = "ios" } } });
        await using var socket = await SignalRTestClient.ConnectAsync(host, eve);
        await SeedMissedHabitAsync(host, eve.UserId, [DeliveryChannels.InApp]);

        await admin.JsonAsync(HttpMethod.Post, "/api/admin/scan");

        var pushed = await socket.WaitForAsync("coachingPrompt", Wait);
        Assert.NotNull(pushed);
        Assert.Equal("in_app", pushed[0].GetProperty("channel").GetString());
        Assert.Empty(pushed[0].GetProperty("deliveries").EnumerateArray());
        Assert.Empty(receiver.Received);
    }

    internal static async Task SetContactsAsync(ApiClient user, object contacts)
    {
        var response = await user.SendJsonAsync(HttpMethod.Put, "/api/contacts", contacts);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static async Task<JsonElement> WaitForAsync(ApiClient user, string promptId, Func<JsonElement, bool> done, TimeSpan? wait = null) =>
        await Eventually.ValueAsync(async () =>
        {
            var p = await user.JsonAsync(HttpMethod.Get, $"/api/prompts/{promptId}");
            return done(p) ? (JsonElement?)p : null;
        }, wait ?? TimeSpan.FromSeconds(90));

    internal static List<(string, int)> Outcomes(JsonElement prompt) =>
        [.. prompt.GetProperty("deliveries").EnumerateArray().Select(a => (a.GetProperty("outcome").GetString()!, a.GetProperty("attempt").GetInt32()))];

    /// <summary>A prompt stored as GeneratePrompt stores one, and its delivery request queued as GeneratePrompt queues it for a user who accepts <paramref name="channels"/>.</summary>
    internal static async Task<CoachingPrompt> StoreAndDeliverAsync(AppHost host, string userId, Priority priority, IReadOnlyList<string> channels,
        TimeProvider? time = null)
    {
        var users = host.Services.GetRequiredService<UserDataStore>();
        var preferences = await users.GetPreferencesAsync(userId, default);
        await users.SavePreferencesAsync(userId, preferences with { Channels = channels }, default);
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var key = $"{PromptTypes.DailyCheckin}:{Guid.NewGuid():N}";
        var prompt = new CoachingPrompt
        {
            Id = PromptIds.Create(now, key),
            UserId = userId,
            Type = PromptTypes.DailyCheckin,
            Priority = priority,
            Confidence = 0.9,
            Title = "Check in",
            Message = $"How did today go? ({priority})",
            QuickReplies = [new QuickReply("Good", "good")],
            Locale = "en",
            Strategy = "template",
            DedupeKey = key,
            Facts = new DetectionFacts { LocalDate = DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd") },
            CreatedAt = now,
            DeliverAt = now,
        };
        Assert.True((await host.Services.GetRequiredService<PromptStore>().CreateAsync(prompt, default)).Created);
        await host.Services.GetRequiredService<DeliveryScheduler>().EnqueueAsync(prompt, now, default, DeliveryRequest.ChannelsFor(channels));
        return prompt;
    }

    private static async Task SeedMissedHabitAsync(AppHost host, string userId, IReadOnlyList<string> channels)
    {
        var users = host.Services.GetRequiredService<UserDataStore>();
        await users.SavePreferencesAsync(userId, new UserPreferences
        {
            QuietHours = new QuietHours(false, new TimeOnly(22, 0), new TimeOnly(8, 0)),
            EnabledTypes = [PromptTypes.HabitMissed],
            Channels = channels,
        }, default);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await users.AddHabitAsync(userId, new Habit(Guid.NewGuid().ToString("N"), "Evening walk", HabitSchedule.Daily, today.AddDays(-3), true,
            DateTimeOffset.UtcNow.AddDays(-3)), default);
    }
}
