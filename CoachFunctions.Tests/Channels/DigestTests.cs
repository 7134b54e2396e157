using System.Text.Json;
using CoachFunctions.Coaching;
using CoachFunctions.Functions.SendDigest;
using CoachFunctions.Hosting;
using CoachFunctions.Storage;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Channels;

/// <summary>
/// The daily e-mail digest: low-priority prompts bound for e-mail wait for the user's preferred local
/// time and go out as one signed webhook, once; nothing is sent when nothing waits. The app runs on a
/// clock placed a few seconds before that time in a fixed-offset zone; queues run in real time.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class DigestTests
{
    [Fact]
    public async Task Three_low_priority_prompts_go_out_as_one_digest_at_the_preferred_local_time_once()
    {
        var (clock, zone, info) = LocalMoment.At(new TimeOnly(8, 59, 35));
        await using var receiver = await WebhookReceiver.StartAsync(_ => (200, null));
        await using var host = await StartAsync(receiver, clock);
        using var fay = await ApiClient.SignInAsync(host, ApiClient.NewUserId("fay"));
        await ChannelDeliveryTests.SetContactsAsync(fay, new { email = "fay@example.com" });
        var users = host.Services.GetRequiredService<CoachFunctions.Storage.Tables.UserDataStore>();
        await users.SavePreferencesAsync(fay.UserId, UserPreferences.Default with { TimeZone = zone, PreferredTime = new TimeOnly(9, 0) }, default);

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await ChannelDeliveryTests.StoreAndDeliverAsync(host, fay.UserId, Priority.Low, [DeliveryChannels.InApp, DeliveryChannels.Email], clock)).Id);

        // Held until 09:00 local: nothing before.
        var sendAt = LocalClockAt(clock, info, new TimeOnly(9, 0));
        while (clock.GetUtcNow() < sendAt.AddSeconds(-2))
        {
            Assert.Empty(receiver.Received);
            await Task.Delay(500);
        }
        var digest = await Eventually.GetAsync(async () => { await Task.Yield(); return receiver.Received.FirstOrDefault(); }, TimeSpan.FromSeconds(60), "the digest");
        Assert.True(digest.Verifies(WebhookReceiver.Secret));
        Assert.True(long.Parse(digest.Timestamp) >= sendAt.ToUnixTimeSeconds(), "sent at or after the preferred local time");
        var body = digest.Json;
        Assert.Equal("digest", body.GetProperty("kind").GetString());
        Assert.Equal("fay@example.com", body.GetProperty("email").GetString());
        Assert.Equal(TimeZoneInfo.ConvertTime(sendAt, info).ToString("yyyy-MM-dd"), body.GetProperty("date").GetString());
        Assert.Equal($"digest_{fay.UserId}_{body.GetProperty("date").GetString()}", digest.Id);
        Assert.Equal(ids.Order(), body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("promptId").GetString()!).Order());

        foreach (var id in ids)
        {
            var p = await ChannelDeliveryTests.WaitForAsync(fay, id, p => p.TryGetProperty("sentAt", out _), TimeSpan.FromSeconds(30));
            Assert.Equal("email", p.GetProperty("channel").GetString());
            Assert.Equal([("sent", 1)], ChannelDeliveryTests.Outcomes(p));
        }
        await Task.Delay(TimeSpan.FromSeconds(5)); // a second digest would have had time to come
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task Nothing_is_sent_when_nothing_waits()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => (200, null));
        var clock = new ShiftedTimeProvider(TimeSpan.Zero);
        await using var host = await StartAsync(receiver, clock);
        using var gus = await ApiClient.SignInAsync(host, ApiClient.NewUserId("gus"));
        await ChannelDeliveryTests.SetContactsAsync(gus, new { email = "gus@example.com" });

        // A digest falls due with no prompt waiting for it.
        var storage = host.Services.GetRequiredService<StorageClients>();
        await host.Services.GetRequiredService<StorageBootstrap>().EnsureAsync(default);
        var queue = storage.Queue(StorageNames.EmailDigestsQueue);
        await queue.SendMessageAsync(CoachJson.Serialize(new DigestRequest(gus.UserId, clock.GetUtcNow().AddSeconds(-1), UtcDate(clock.GetUtcNow()), 1)));

        await Eventually.ValueAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0 ? (bool?)true : null, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task Two_messages_queued_for_the_same_send_make_one_digest()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => (200, null));
        var clock = new ShiftedTimeProvider(TimeSpan.Zero);
        await using var host = await StartAsync(receiver, clock);
        using var kim = await ApiClient.SignInAsync(host, ApiClient.NewUserId("kim"));
        await ChannelDeliveryTests.SetContactsAsync(kim, new { email = "kim@example.com" });
        var store = host.Services.GetRequiredService<CoachFunctions.Storage.Tables.DigestStore>();
        var prompts = host.Services.GetRequiredService<CoachFunctions.Storage.Tables.PromptStore>();
        var sendAt = clock.GetUtcNow().AddSeconds(-1);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var p = ChannelDeliveryPrompt(kim.UserId, clock.GetUtcNow());
            Assert.True((await prompts.CreateAsync(p, default)).Created);
            await store.AddAsync(p, sendAt, UtcDate(sendAt), plan: false, default);
            ids.Add(p.Id);
        }

        // What two prompts planning the same send at once leave behind: two messages, each with its own nonce.
        await host.Services.GetRequiredService<StorageBootstrap>().EnsureAsync(default);
        var queue = host.Services.GetRequiredService<StorageClients>().Queue(StorageNames.EmailDigestsQueue);
        await Task.WhenAll(
            queue.SendMessageAsync(CoachJson.Serialize(new DigestRequest(kim.UserId, sendAt, UtcDate(sendAt), 1, "first"))),
            queue.SendMessageAsync(CoachJson.Serialize(new DigestRequest(kim.UserId, sendAt, UtcDate(sendAt), 1, "second"))));

        foreach (var id in ids) await ChannelDeliveryTests.WaitForAsync(kim, id, p => p.TryGetProperty("sentAt", out _), TimeSpan.FromSeconds(30));
        await Eventually.ValueAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0 ? (bool?)true : null, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(3, Assert.Single(receiver.Received).Json.GetProperty("items").GetArrayLength());
    }

    /// <summary>The local host with the e-mail webhook pointed at <paramref name="receiver"/>, on <paramref name="clock"/>.</summary>
    private static async Task<AppHost> StartAsync(WebhookReceiver receiver, TimeProvider clock) =>
        await AppHost.StartLocalAsync(await Azurite.SharedAsync(), new Dictionary<string, string?>
        {
            ["Channels:Email:WebhookUrl"] = receiver.Url.ToString(),
            ["Channels:WebhookSecret"] = WebhookReceiver.Secret,
        }, time: clock);

    /// <summary>The local date of a user in the default zone (UTC), as the digest names it.</summary>
    private static string UtcDate(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static CoachingPrompt ChannelDeliveryPrompt(string userId, DateTimeOffset now)
    {
        var key = $"{PromptTypes.DailyCheckin}:{Guid.NewGuid():N}";
        return new CoachingPrompt
        {
            Id = CoachFunctions.Coaching.Generation.PromptIds.Create(now, key), UserId = userId, Type = PromptTypes.DailyCheckin, Priority = Priority.Low,
            Confidence = 0.9, Title = "Check in", Message = "How did today go?", QuickReplies = [new QuickReply("Good", "good")], Locale = "en",
            Strategy = "template", DedupeKey = key, Facts = new CoachFunctions.Coaching.Detectors.DetectionFacts { LocalDate = UtcDate(now) },
            CreatedAt = now, DeliverAt = now,
        };
    }

    private static DateTimeOffset LocalClockAt(TimeProvider clock, TimeZoneInfo zone, TimeOnly time) =>
        new LocalClock(clock.GetUtcNow(), zone).NextAt(time);
}
