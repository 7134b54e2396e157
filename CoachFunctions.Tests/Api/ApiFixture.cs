using CoachFunctions.Coaching;
using CoachFunctions.Storage.Tables;
using Microsoft.Extensions.DependencyInjection;
using CoachFunctions.Tests.EndToEnd;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Api;

/// <summary>
/// One local host and a user who owns something of every kind: a habit done today, an open prompt
/// about it, an answered, a dismissed and an expired prompt. Requests that must change nothing
/// run against this user; <see cref="Substitute"/> puts the real ids into a request.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public AppHost Host { get; private set; } = null!;
    public ApiClient User { get; private set; } = null!;
    public ApiClient Admin { get; private set; } = null!;
    public ApiClient Other { get; private set; } = null!;
    public Dictionary<string, string> Ids { get; } = new();

    public async Task InitializeAsync()
    {
        // The hostile-input table alone answers the same user's respond route more than 30 times a
        // minute; rate limits have their own tests (RateLimitTests), so they must not decide these.
        Host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), new Dictionary<string, string?>
        {
            ["RateLimits:RespondPerMinute"] = "10000",
            ["RateLimits:FeedbackPerMinute"] = "10000",
        });
        User = await ApiClient.SignInAsync(Host, ApiClient.NewUserId("owner"));
        Admin = await ApiClient.SignInAsync(Host, ApiClient.NewUserId("admin"), "admin");
        Other = await ApiClient.SignInAsync(Host, ApiClient.NewUserId("other"));
        await User.JsonAsync(HttpMethod.Put, "/api/preferences", TestData.Permissive());
        await Other.JsonAsync(HttpMethod.Put, "/api/preferences", TestData.Permissive());

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var start = today.AddDays(-3);
        var habit = (await User.JsonAsync(HttpMethod.Post, "/api/habits", new { name = "Stretch", startDate = start.ToString("yyyy-MM-dd") })).GetProperty("id").GetString()!;
        await User.JsonAsync(HttpMethod.Post, $"/api/habits/{habit}/completions", new { });
        var open = await TestData.PromptAsync(Host, User.UserId, PromptTypes.HabitMissed, TestData.HabitFacts(habit, "Stretch"));
        var answered = await TestData.PromptAsync(Host, User.UserId, PromptTypes.DailyCheckin);
        var reply = await User.JsonAsync(HttpMethod.Post, $"/api/prompts/{answered.Id}/respond", new { value = "share_plan" });
        // The follow-up is stored as sent in the answer's own transaction: the partition is quiet now.
        Assert.True(reply.TryGetProperty("followUp", out _));
        var dismissed = await TestData.PromptAsync(Host, User.UserId, PromptTypes.DailyCheckin);
        await User.DeleteAsync($"/api/prompts/{dismissed.Id}");
        var expired = await TestData.PromptAsync(Host, User.UserId, PromptTypes.DailyCheckin, state: PromptStates.Expired);
        await User.JsonAsync(HttpMethod.Post, $"/api/prompts/{open.Id}/feedback", new { kind = "like" });

        Ids["{habit}"] = habit;
        Ids["{open}"] = open.Id;
        Ids["{answered}"] = answered.Id;
        Ids["{dismissed}"] = dismissed.Id;
        Ids["{expired}"] = expired.Id;
        Ids["{user}"] = User.UserId;
        Ids["{today}"] = today.ToString("yyyy-MM-dd");
        Ids["{tomorrow}"] = today.AddDays(1).ToString("yyyy-MM-dd");
        Ids["{beforeStart}"] = start.AddDays(-1).ToString("yyyy-MM-dd");
    }

    public string Substitute(string text) => Ids.Aggregate(text, (t, id) => t.Replace(id.Key, id.Value));

    public async Task DisposeAsync()
    {
        User.Dispose();
        Admin.Dispose();
        Other.Dispose();
        await Host.DisposeAsync();
    }
}
