using System.Security.Claims;
using System.Text.Json;
using CoachFunctions.Coaching;
using CoachFunctions.Functions.Habits;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using CoachFunctions.Tests.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoachFunctions.Tests.Api;

/// <summary>
/// Issue 10: GET /api/habits shows each habit's current streak and the dates it was done in the
/// last 28 days, on the user's own calendar, for the habits page's check-in strip.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class HabitListProgressTests
{
    /// <summary>20:00 UTC on Wednesday 11 March 2026 is already 04:00 on Thursday the 12th in Shanghai.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 11, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_habit_has_its_streak_and_the_last_28_local_days_it_was_done()
    {
        var clock = new ManualTimeProvider(Now);
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), time: clock);
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("streaks"));
        await user.JsonAsync(HttpMethod.Put, "/api/preferences", new { timeZone = "Asia/Shanghai" });

        var daily = await CreateAsync(user, new { name = "Run", startDate = "2026-01-01" });
        // Done today (no date: the user's today, the 12th, not UTC's 11th), the two days before, and
        // on the 8th; 13 February is the first day of the 28-day window, the 12th the day before it.
        await CompleteAsync(user, daily, null);
        foreach (var date in new[] { "2026-03-11", "2026-03-10", "2026-03-08", "2026-02-13", "2026-02-12" })
            await CompleteAsync(user, daily, date);

        // Mondays and Wednesdays: Thursday (today) and Tuesday are not scheduled, so neither counts nor breaks.
        var weekdays = await CreateAsync(user, new { name = "Swim", startDate = "2026-01-01", daysOfWeek = new[] { "monday", "wednesday" } });
        foreach (var date in new[] { "2026-03-11", "2026-03-09", "2026-03-02" })
            await CompleteAsync(user, weekdays, date);

        // Done on the 10th only: yesterday (the 11th) was missed, so no streak is running.
        var lapsed = await CreateAsync(user, new { name = "Read", startDate = "2026-03-01" });
        await CompleteAsync(user, lapsed, "2026-03-10");
        var untouched = await CreateAsync(user, new { name = "Stretch" });

        var items = (await user.JsonAsync(HttpMethod.Get, "/api/habits")).GetProperty("items").EnumerateArray().ToDictionary(h => h.GetProperty("id").GetString()!);
        Assert.Equal(4, items.Count);
        AssertProgress(items[daily], 3, ["2026-02-13", "2026-03-08", "2026-03-10", "2026-03-11", "2026-03-12"]);
        AssertProgress(items[weekdays], 2, ["2026-03-02", "2026-03-09", "2026-03-11"]);
        AssertProgress(items[lapsed], 0, ["2026-03-10"]);
        AssertProgress(items[untouched], 0, []);
        Assert.Equal("Run", items[daily].GetProperty("name").GetString());
        Assert.Equal("2026-03-12", items[untouched].GetProperty("startDate").GetString()); // the local today

        // A day later on the user's calendar nothing new was done: the daily streak still counts until
        // that day is over, and the window has moved on past 13 February.
        clock.Advance(TimeSpan.FromDays(1));
        var later = (await user.JsonAsync(HttpMethod.Get, "/api/habits")).GetProperty("items").EnumerateArray().Single(h => h.GetProperty("id").GetString() == daily);
        AssertProgress(later, 3, ["2026-03-08", "2026-03-10", "2026-03-11", "2026-03-12"]);
    }

    [Fact]
    public async Task Another_users_completions_never_count()
    {
        var clock = new ManualTimeProvider(Now);
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), time: clock);
        using var alice = await ApiClient.SignInAsync(host, ApiClient.NewUserId("alice"));
        using var bob = await ApiClient.SignInAsync(host, ApiClient.NewUserId("bob"));
        var habit = await CreateAsync(alice, new { name = "Run", startDate = "2026-03-01" });
        await CompleteAsync(alice, habit, null);
        var bobs = await CreateAsync(bob, new { name = "Run", startDate = "2026-03-01" });

        var listed = Assert.Single((await bob.JsonAsync(HttpMethod.Get, "/api/habits")).GetProperty("items").EnumerateArray());
        Assert.Equal(bobs, listed.GetProperty("id").GetString());
        AssertProgress(listed, 0, []);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public async Task Listing_costs_three_storage_requests_however_many_habits_there_are(int habitCount)
    {
        var recorder = new RequestRecorder();
        var s = await StoreHarness.StartAsync(recorder);
        var user = StoreHarness.NewUserId("list");
        var today = DateOnly.FromDateTime(s.Time.GetUtcNow().UtcDateTime);
        for (var i = 0; i < habitCount; i++)
        {
            var habit = new Habit(Guid.NewGuid().ToString("N"), $"Habit {i}", HabitSchedule.Daily, today.AddDays(-10), true, s.Time.GetUtcNow());
            await s.Users.AddHabitAsync(user, habit, default);
            for (var d = 0; d < 3; d++)
                await s.Users.TryAddCompletionAsync(user, new CoachFunctions.Coaching.Responses.HabitCompletion(habit.Id, today.AddDays(-d)), s.Time.GetUtcNow(), default);
        }
        recorder.Clear();

        var http = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", user)], "test")) };
        var result = await new ListHabitsFunction(s.Users, s.Time).Run(http.Request, default);

        Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        Assert.Equal(3, recorder.Count); // preferences, habits, completions
    }

    private static void AssertProgress(JsonElement habit, int streak, string[] recent)
    {
        Assert.Equal(streak, habit.GetProperty("streak").GetInt32());
        Assert.Equal(recent, habit.GetProperty("recentCompletions").EnumerateArray().Select(d => d.GetString()!).ToArray());
    }

    private static async Task<string> CreateAsync(ApiClient user, object body) =>
        (await user.JsonAsync(HttpMethod.Post, "/api/habits", body)).GetProperty("id").GetString()!;

    private static async Task CompleteAsync(ApiClient user, string habitId, string? date) =>
        await user.JsonAsync(HttpMethod.Post, $"/api/habits/{habitId}/completions", date is null ? new { } : new { date });
}
