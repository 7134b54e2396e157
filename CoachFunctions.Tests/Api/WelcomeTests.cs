using System.Net;
using System.Text.Json;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Coaching.Welcome;
using CoachFunctions.Tests.EndToEnd;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Api;

/// <summary>
/// One host with an LLM (the fake chat server, a real loopback server that counts what it receives)
/// on an Azurite of its own, so no other test's queued prompts reach the model, and on a manual clock
/// the tests move through the cache window and the cooldowns.
/// </summary>
public sealed class WelcomeFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 3, 11, 9, 0, 0, TimeSpan.Zero);

    public Azurite Azurite { get; private set; } = null!;
    public FakeChatServer Chat { get; private set; } = null!;
    public AppHost Host { get; private set; } = null!;
    public ManualTimeProvider Clock { get; } = new(Start);

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartDedicatedAsync();
        Chat = await FakeChatServer.StartAsync();
        Host = await AppHost.StartLocalAsync(Azurite, new Dictionary<string, string?>
        {
            ["Llm:Provider"] = "openai-compatible",
            ["Llm:Endpoint"] = Chat.V1.ToString(),
            ["Llm:Model"] = "welcome-model",
            ["RateLimits:WelcomePerMinute"] = "1000", // the limit has its own test
        }, time: Clock);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Chat.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

/// <summary>
/// Issue 10, seed 002's welcome bubble: POST /api/welcome on the local host and Azurite. A line is
/// cached per user and page for 30 minutes, timer and operation triggers have per-user cooldowns of
/// 60 s and 10 s inside which nothing is generated, templates serve when the LLM's line is unusable,
/// in the user's language, and one user never sees another's line.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class WelcomeTests(WelcomeFixture f) : IClassFixture<WelcomeFixture>
{
    private async Task<ApiClient> UserAsync(string locale = "en", string zone = "UTC")
    {
        var user = await ApiClient.SignInAsync(f.Host, ApiClient.NewUserId("welcome"));
        await user.JsonAsync(HttpMethod.Put, "/api/preferences", new { timeZone = zone, locale });
        return user;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> WelcomeAsync(ApiClient user, string page, string trigger)
    {
        var response = await user.SendJsonAsync(HttpMethod.Post, "/api/welcome", new { page, trigger });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void AssertLine(JsonElement body, string text, string page, string source, DateTimeOffset generatedAt)
    {
        Assert.Equal(text, body.GetProperty("text").GetString());
        Assert.Equal(page, body.GetProperty("page").GetString());
        Assert.Equal(source, body.GetProperty("source").GetString());
        Assert.Equal(generatedAt, body.GetProperty("generatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Open_asks_the_llm_once_and_a_second_open_inside_30_minutes_is_the_cached_line()
    {
        using var user = await UserAsync();
        var habit = (await user.JsonAsync(HttpMethod.Post, "/api/habits", new { name = "Morning run", startDate = "2026-03-01" })).GetProperty("id").GetString();
        await user.JsonAsync(HttpMethod.Post, $"/api/habits/{habit}/completions", new { date = "2026-03-10" });
        await user.JsonAsync(HttpMethod.Post, $"/api/habits/{habit}/completions", new { });
        var asked = f.Chat.Requests.Count;
        var written = f.Clock.GetUtcNow();

        f.Chat.EnqueueAnswer("Streak", "Two mornings of running in a row. Lovely!");
        var (status, first) = await WelcomeAsync(user, "habits", "open");
        Assert.Equal(HttpStatusCode.OK, status);
        AssertLine(first, "Two mornings of running in a row. Lovely!", "habits", "llm", written);
        Assert.Equal(asked + 1, f.Chat.Requests.Count);
        // The model was told the page and the user's state; the habit's name came as data.
        var request = f.Chat.Requests[^1];
        Assert.Contains("habits page", request.System);
        Assert.Contains("Morning run", request.User);
        Assert.Contains("\"streak\":2", request.User);
        Assert.Contains("\"doneToday\":true", request.User);

        f.Clock.Advance(TimeSpan.FromMinutes(29));
        var (_, second) = await WelcomeAsync(user, "habits", "open");
        AssertLine(second, "Two mornings of running in a row. Lovely!", "habits", "cache", written);
        Assert.Equal(asked + 1, f.Chat.Requests.Count);

        // Past 30 minutes the line is stale: a new one.
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        f.Chat.EnqueueAnswer("Streak", "Still two days strong. Keep it rolling!");
        var (_, third) = await WelcomeAsync(user, "habits", "open");
        AssertLine(third, "Still two days strong. Keep it rolling!", "habits", "llm", f.Clock.GetUtcNow());
        Assert.Equal(asked + 2, f.Chat.Requests.Count);
    }

    [Fact]
    public async Task A_timer_inside_60_seconds_never_generates()
    {
        using var user = await UserAsync();
        var asked = f.Chat.Requests.Count;
        var written = f.Clock.GetUtcNow();
        f.Chat.EnqueueAnswer("Hello", "Good to see you here again today!");
        AssertLine((await WelcomeAsync(user, "feed", "timer")).Body, "Good to see you here again today!", "feed", "llm", written);

        // Inside the cooldown: the cached line, and on a page with no line yet nothing at all.
        f.Clock.Advance(TimeSpan.FromSeconds(30));
        AssertLine((await WelcomeAsync(user, "feed", "timer")).Body, "Good to see you here again today!", "feed", "cache", written);
        f.Clock.Advance(TimeSpan.FromSeconds(29));
        var (status, _) = await WelcomeAsync(user, "habits", "timer");
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal(asked + 1, f.Chat.Requests.Count);

        // 60 s after the last timer that got through, the next one writes a new line, cached line or not.
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        f.Chat.EnqueueAnswer("Hello", "A fresh minute, a fresh small step!");
        AssertLine((await WelcomeAsync(user, "feed", "timer")).Body, "A fresh minute, a fresh small step!", "feed", "llm", f.Clock.GetUtcNow());
        Assert.Equal(asked + 2, f.Chat.Requests.Count);
    }

    [Fact]
    public async Task An_operation_inside_10_seconds_never_generates_and_does_not_hold_timers()
    {
        using var user = await UserAsync();
        var asked = f.Chat.Requests.Count;
        var written = f.Clock.GetUtcNow();
        f.Chat.EnqueueAnswer("Done", "Nice check-in! That counts for today.");
        AssertLine((await WelcomeAsync(user, "habits", "operation")).Body, "Nice check-in! That counts for today.", "habits", "llm", written);

        f.Clock.Advance(TimeSpan.FromSeconds(9));
        AssertLine((await WelcomeAsync(user, "habits", "operation")).Body, "Nice check-in! That counts for today.", "habits", "cache", written);
        Assert.Equal(asked + 1, f.Chat.Requests.Count);
        Assert.Equal(HttpStatusCode.NoContent, (await WelcomeAsync(user, "feed", "operation")).Status);

        // The timer's cooldown is its own.
        f.Chat.EnqueueAnswer("Hi", "Still here and cheering you on!");
        Assert.Equal("llm", (await WelcomeAsync(user, "habits", "timer")).Body.GetProperty("source").GetString());
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        f.Chat.EnqueueAnswer("Done", "Another one done. You're on a roll!");
        AssertLine((await WelcomeAsync(user, "habits", "operation")).Body, "Another one done. You're on a roll!", "habits", "llm", f.Clock.GetUtcNow());
        Assert.Equal(asked + 3, f.Chat.Requests.Count);
    }

    [Fact]
    public async Task Garbage_from_the_llm_falls_back_to_the_template()
    {
        using var user = await UserAsync();
        var asked = f.Chat.Requests.Count;
        f.Chat.EnqueueContent("not json at all");
        f.Chat.EnqueueAnswer("Hi", "**Great** job! See example.com for more.");
        var (status, body) = await WelcomeAsync(user, "feed", "open");
        Assert.Equal(HttpStatusCode.OK, status);
        // 09:00 in UTC, nothing waiting, nothing done yet: the morning greeting.
        AssertLine(body, "Good morning! What's your plan today?", "feed", "template", f.Clock.GetUtcNow());
        Assert.Equal(asked + 2, f.Chat.Requests.Count); // invalid once, retried once, then the template

        f.Chat.EnqueueStatus(500);
        AssertLine((await WelcomeAsync(user, "admin", "open")).Body, "Here's how the coach is doing today.", "admin", "template", f.Clock.GetUtcNow());
        Assert.Equal(asked + 3, f.Chat.Requests.Count); // an error is not retried

        // The template line is cached like any other.
        AssertLine((await WelcomeAsync(user, "feed", "open")).Body, "Good morning! What's your plan today?", "feed", "cache", f.Clock.GetUtcNow());
        Assert.Equal(asked + 3, f.Chat.Requests.Count);
    }

    [Fact]
    public async Task A_zh_CN_user_gets_chinese_from_the_llm_or_the_chinese_template()
    {
        using var user = await UserAsync("zh-CN", "Asia/Shanghai"); // 09:00 UTC is 17:00 there
        var asked = f.Chat.Requests.Count;
        f.Chat.EnqueueAnswer("Hi", "Welcome back, you are doing great today!");
        f.Chat.EnqueueAnswer("Hi", "Keep going, 加油！");
        var (_, body) = await WelcomeAsync(user, "feed", "open");
        AssertLine(body, "下午好！今天进展如何？", "feed", "template", f.Clock.GetUtcNow());
        var text = body.GetProperty("text").GetString()!;
        Assert.True(OutputValidator.CjkRatio(text) >= 0.5);
        Assert.True(text.Length <= WelcomeTemplates.MaxLength);
        Assert.Equal(asked + 2, f.Chat.Requests.Count);
        Assert.Contains("Simplified Chinese", f.Chat.Requests[^1].System);

        f.Chat.EnqueueAnswer("你好", "在这里调整提醒时间，让教练更懂你。");
        AssertLine((await WelcomeAsync(user, "preferences", "open")).Body, "在这里调整提醒时间，让教练更懂你。", "preferences", "llm", f.Clock.GetUtcNow());

        // Switched to English, the Chinese line is not served from the cache.
        await user.JsonAsync(HttpMethod.Put, "/api/preferences", new { locale = "en" });
        f.Chat.EnqueueAnswer("Hi", "Set when and how your coach speaks.");
        Assert.Equal("llm", (await WelcomeAsync(user, "preferences", "open")).Body.GetProperty("source").GetString());
    }

    public static TheoryData<string, string?> BadRequests => new()
    {
        { """{"page":"home","trigger":"open"}""", "page" },
        { """{"page":"Feed","trigger":"open"}""", "page" },
        { """{"trigger":"open"}""", "page" },
        { """{"page":"feed","trigger":"hover"}""", "trigger" },
        { """{"page":"feed"}""", "trigger" },
        { """{"page":"feed","trigger":"open","userId":"someone-else"}""", null },
        { """{"page":1,"trigger":"open"}""", null },
        { "not json", null },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_page_or_trigger_is_a_400_problem_and_changes_nothing(string body, string? field)
    {
        using var user = await UserAsync();
        var asked = f.Chat.Requests.Count;
        var before = await TestData.PartitionAsync(f.Host, user.UserId);

        var response = await user.SendRawAsync(HttpMethod.Post, "/api/welcome", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        if (field is not null) Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
        Assert.Equal(before, await TestData.PartitionAsync(f.Host, user.UserId));
        Assert.Equal(asked, f.Chat.Requests.Count);
    }

    [Fact]
    public async Task Another_users_line_and_cooldowns_are_not_visible()
    {
        using var alice = await UserAsync();
        using var bob = await UserAsync();
        var asked = f.Chat.Requests.Count;
        f.Chat.EnqueueAnswer("Hi", "Alice, your coach is glad you're here!");
        Assert.Equal("llm", (await WelcomeAsync(alice, "feed", "open")).Body.GetProperty("source").GetString());

        // Bob's open finds no line of his own: a new one, not Alice's.
        f.Chat.EnqueueAnswer("Hi", "Bob, let's make today a good one!");
        AssertLine((await WelcomeAsync(bob, "feed", "open")).Body, "Bob, let's make today a good one!", "feed", "llm", f.Clock.GetUtcNow());
        // Alice's timer cooldown is hers: Bob's first timer right after it still writes a line.
        f.Chat.EnqueueAnswer("Hi", "Alice, one small step at a time!");
        f.Chat.EnqueueAnswer("Hi", "Bob, another minute, another chance!");
        Assert.Equal("Alice, one small step at a time!", (await WelcomeAsync(alice, "feed", "timer")).Body.GetProperty("text").GetString());
        Assert.Equal("Bob, another minute, another chance!", (await WelcomeAsync(bob, "feed", "timer")).Body.GetProperty("text").GetString());
        Assert.Equal(asked + 4, f.Chat.Requests.Count);

        Assert.DoesNotContain(await TestData.RowsAsync(f.Host, bob.UserId, "welcome"), r => r.GetString("Text")?.StartsWith("Alice", StringComparison.Ordinal) == true);
        Assert.Equal("Alice, one small step at a time!", (await WelcomeAsync(alice, "feed", "open")).Body.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Concurrent_timers_generate_once()
    {
        using var user = await UserAsync();
        var asked = f.Chat.Requests.Count;
        f.Chat.EnqueueAnswer("Hi", "Only one of these gets written!");
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => WelcomeAsync(user, "feed", "timer")));

        Assert.Equal(asked + 1, f.Chat.Requests.Count);
        Assert.Single(answers, a => a.Status == HttpStatusCode.OK && a.Body.GetProperty("source").GetString() == "llm");
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.NoContent || a.Body.GetProperty("text").GetString() == "Only one of these gets written!"));
    }
}

/// <summary>Without an LLM the bubble is written from templates, and the route is rate-limited per user like respond.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class WelcomeWithoutLlmTests
{
    [Fact]
    public async Task Templates_serve_and_the_call_after_the_limit_is_429()
    {
        var clock = new ManualTimeProvider(WelcomeFixture.Start.AddHours(10)); // 19:00 UTC
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), new Dictionary<string, string?> { ["RateLimits:WelcomePerMinute"] = "2" }, time: clock);
        using var alice = await ApiClient.SignInAsync(host, ApiClient.NewUserId("alice"));
        using var bob = await ApiClient.SignInAsync(host, ApiClient.NewUserId("bob"));

        var line = await alice.JsonAsync(HttpMethod.Post, "/api/welcome", new { page = "feed", trigger = "open" });
        Assert.Equal("Good evening! How did today go?", line.GetProperty("text").GetString());
        Assert.Equal("template", line.GetProperty("source").GetString());
        Assert.Equal("cache", (await alice.JsonAsync(HttpMethod.Post, "/api/welcome", new { page = "feed", trigger = "open" })).GetProperty("source").GetString());

        // Two a minute, in fixed one-minute windows on the real clock: within three more calls (at most one
        // window boundary in between), one is refused.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 3 && limited is null; i++)
        {
            var response = await alice.SendJsonAsync(HttpMethod.Post, "/api/welcome", new { page = "feed", trigger = "open" });
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
            else Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.NotNull(limited);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, (await bob.SendJsonAsync(HttpMethod.Post, "/api/welcome", new { page = "feed", trigger = "open" })).StatusCode);
    }
}
