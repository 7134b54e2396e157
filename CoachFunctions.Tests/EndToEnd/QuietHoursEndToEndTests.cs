using System.Net;
using System.Text.Json;
using CoachFunctions.Coaching;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.EndToEnd;

/// <summary>
/// Quiet hours hold a prompt back, not lose it: it is stored as scheduled and delivered over
/// SignalR when the quiet period ends, unless its type goes stale first, in which case it is
/// marked expired and never delivered. The app runs on a shifted clock placed just before the
/// boundary; queues and sockets run in real time.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class QuietHoursEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_prompt_held_by_quiet_hours_is_scheduled_and_delivered_when_they_end()
    {
        var (clock, zone, info) = LocalMoment.At(new TimeOnly(7, 59, 35));
        var azurite = await Azurite.SharedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite, time: clock);
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");
        using var alice = await ApiClient.SignInAsync(host, ApiClient.NewUserId("alice"));
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), info).DateTime);
        await SeedMissedHabitAsync(host, alice.UserId, zone, today, new QuietHours(true, new TimeOnly(22, 0), new TimeOnly(8, 0)));
        await using var socket = await SignalRTestClient.ConnectAsync(host, alice);

        await admin.JsonAsync(HttpMethod.Post, "/api/admin/scan");

        // Stored as scheduled for 08:00 local, and not pushed while the quiet period lasts.
        var scheduled = await Eventually.ValueAsync(async () =>
        {
            var list = await alice.JsonAsync(HttpMethod.Get, "/api/prompts?state=scheduled");
            return list.GetProperty("items").EnumerateArray().Select(p => (JsonElement?)p).FirstOrDefault();
        }, Wait);
        var id = scheduled.GetProperty("id").GetString()!;
        var localEnd = TimeZoneInfo.ConvertTime(scheduled.GetProperty("deliverAt").GetDateTimeOffset(), info);
        Assert.Equal(new TimeOnly(8, 0), TimeOnly.FromDateTime(localEnd.DateTime));
        Assert.True(clock.GetUtcNow() < localEnd, "listed as scheduled before the quiet period ended");

        var pushed = await socket.WaitForAsync("coachingPrompt", Wait, args => args[0].GetProperty("id").GetString() == id);
        Assert.NotNull(pushed);
        var stored = await alice.JsonAsync(HttpMethod.Get, $"/api/prompts/{id}");
        Assert.Equal("pending", stored.GetProperty("state").GetString()); // sent, awaiting the client's ack
        var sentAt = stored.GetProperty("sentAt").GetDateTimeOffset();
        Assert.True(sentAt >= localEnd, $"pushed at {sentAt:O}, inside quiet hours that end {localEnd:O}");
    }

    [Fact]
    public async Task A_prompt_whose_type_expires_during_quiet_hours_is_marked_expired_and_never_delivered()
    {
        var (clock, zone, info) = LocalMoment.At(new TimeOnly(23, 59, 35));
        var azurite = await Azurite.SharedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite, time: clock);
        using var admin = await ApiClient.SignInAsync(host, ApiClient.NewUserId("admin"), "admin");
        using var bob = await ApiClient.SignInAsync(host, ApiClient.NewUserId("bob"));
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), info).DateTime);
        await SeedMissedHabitAsync(host, bob.UserId, zone, today, new QuietHours(true, new TimeOnly(22, 0), new TimeOnly(8, 0)));
        await using var socket = await SignalRTestClient.ConnectAsync(host, bob);

        await admin.JsonAsync(HttpMethod.Post, "/api/admin/scan");

        // habit_missed for today goes stale at local midnight, long before 08:00.
        var scheduled = await Eventually.ValueAsync(async () =>
        {
            var list = await bob.JsonAsync(HttpMethod.Get, "/api/prompts?state=scheduled");
            return list.GetProperty("items").EnumerateArray().Select(p => (JsonElement?)p).FirstOrDefault();
        }, Wait);
        var id = scheduled.GetProperty("id").GetString()!;
        var expires = scheduled.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.Equal(TimeOnly.MinValue, TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(expires, info).DateTime));

        var expired = await Eventually.ValueAsync(async () =>
        {
            var p = await bob.JsonAsync(HttpMethod.Get, $"/api/prompts/{id}");
            return p.GetProperty("state").GetString() == "expired" ? (JsonElement?)p : null;
        }, Wait);
        Assert.False(expired.TryGetProperty("sentAt", out _));
        Assert.Null(await socket.WaitForAsync("coachingPrompt", TimeSpan.FromSeconds(2), args => args[0].GetProperty("id").GetString() == id));
        Assert.Equal(HttpStatusCode.Conflict, (await bob.SendJsonAsync(HttpMethod.Post, $"/api/prompts/{id}/respond", new { value = "complete_now" })).StatusCode);
    }

    private static async Task SeedMissedHabitAsync(AppHost host, string userId, string zone, DateOnly localToday, QuietHours quiet)
    {
        var users = host.Services.GetRequiredService<UserDataStore>();
        await users.SavePreferencesAsync(userId, new UserPreferences
        {
            TimeZone = zone,
            QuietHours = quiet,
            EnabledTypes = [PromptTypes.HabitMissed],
        }, default);
        await users.AddHabitAsync(userId, new Habit(Guid.NewGuid().ToString("N"), "Evening walk", HabitSchedule.Daily, localToday.AddDays(-3), true,
            DateTimeOffset.UtcNow.AddDays(-3)), default);
    }
}
