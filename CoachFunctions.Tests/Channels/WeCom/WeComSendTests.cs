using CoachFunctions.Channels.WeCom;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Coaching.Channels.WeCom;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Channels.WeCom;

/// <summary>
/// The WeCom sender from the worker's services, against the fake API, with sessions recorded by
/// real callbacks: the token's caching and refresh, the 48-hour window and its 5 messages, the
/// reset by a message from the user, quiet time and the daily limit, and errcodes.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class WeComSendTests(WeComFixture f) : IClassFixture<WeComFixture>
{
    private WeComStore Store => f.Host.Services.GetRequiredService<WeComStore>();

    /// <summary>A user in a zone where it is daytime now, linked, who has just written to the kf account.</summary>
    private async Task<(ApiClient User, string WeChat)> ReachableAsync(string name, string? zone = null)
    {
        var user = await f.SignInAsync(name, zone ?? TestZones.Daytime(f.Clock.GetUtcNow()));
        var ext = await f.LinkAsync(user);
        await f.WritesAsync(ext);
        return (user, ext);
    }

    [Fact]
    public async Task One_token_serves_many_calls_and_an_expired_one_is_replaced_once_for_concurrent_senders()
    {
        // Past the cached token's lifetime, so this test starts without one.
        f.Clock.Advance(TimeSpan.FromHours(3));
        var before = f.Api.TokenFetches;
        var users = new List<(ApiClient User, string WeChat)>();
        for (var i = 0; i < 4; i++) users.Add(await ReachableAsync($"wecom-tok{i}"));
        var results = await Task.WhenAll(users.Select(u => f.SendAsync(u.User)));
        Assert.All(results, r => Assert.Equal(ChannelResult.Sent, r));
        Assert.Equal(before + 1, f.Api.TokenFetches); // 8 syncs and 4 sends on one token

        f.Api.ExpireTokens();
        var refused = f.Api.Requests.Count;
        results = await Task.WhenAll(users.Select(u => f.SendAsync(u.User)));
        Assert.All(results, r => Assert.Equal(ChannelResult.Sent, r));
        Assert.Equal(before + 2, f.Api.TokenFetches); // four 42001s, one new token
        Assert.Equal(2, f.Api.SentTo(users[0].WeChat).Count());
        Assert.All(f.Api.Requests.Skip(refused).Where(r => r.Path == "/cgi-bin/gettoken"), r => Assert.Contains("corpsecret=", r.Query));
        foreach (var u in users) u.User.Dispose();
    }

    [Fact]
    public async Task The_text_follows_the_template_and_the_json_shape_of_kf_send_msg()
    {
        var (user, ext) = await ReachableAsync("wecom-shape");
        Assert.Equal(ChannelResult.Sent, await f.SendAsync(user, habitName: "Evening walk"));
        var sent = Assert.Single(f.Api.SentTo(ext));
        Assert.Equal("text", sent.GetProperty("msgtype").GetString());
        Assert.Equal(f.Api.KfId, sent.GetProperty("open_kfid").GetString());
        Assert.Matches("^[0-9a-f]{32}$", sent.GetProperty("msgid").GetString());
        // The content is the wecom_text template's (AdminTemplatesTests may have replaced the default in the shared Azurite).
        Assert.False(string.IsNullOrWhiteSpace(sent.GetProperty("text").GetProperty("content").GetString()));
        user.Dispose();
    }

    [Fact]
    public async Task Messages_go_within_48_hours_of_the_users_last_message_and_not_from_then()
    {
        var (user, ext) = await ReachableAsync("wecom-48h");
        f.Clock.Advance(TimeSpan.FromHours(48) - TimeSpan.FromSeconds(1));
        Assert.Equal(ChannelResult.Sent, await f.SendAsync(user));
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        var sends = f.Api.Sent.Count;
        Assert.Equal(ChannelResult.Refuse(WeComRules.WindowClosed), await f.SendAsync(user));
        Assert.Equal(sends, f.Api.Sent.Count); // refused here, not by WeCom
        Assert.Single(f.Api.SentTo(ext));
        user.Dispose();
    }

    [Fact]
    public async Task The_fifth_message_goes_the_sixth_is_refused_and_a_message_from_the_user_restarts_the_count()
    {
        var (user, ext) = await ReachableAsync("wecom-five");
        for (var i = 1; i <= 5; i++) Assert.Equal(ChannelResult.Sent, await f.SendAsync(user));
        Assert.Equal(ChannelResult.Refuse(WeComRules.WindowUsedUp), await f.SendAsync(user));
        Assert.Equal(5, f.Api.SentTo(ext).Count());
        Assert.Equal(5, (await Store.GetSessionAsync(user.UserId, default))!.Value.Session.SentInWindow);

        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.WritesAsync(ext);
        Assert.Equal(0, (await Store.GetSessionAsync(user.UserId, default))!.Value.Session.SentInWindow);
        Assert.Equal(ChannelResult.Sent, await f.SendAsync(user));
        Assert.Equal(6, f.Api.SentTo(ext).Count());
        user.Dispose();
    }

    [Fact]
    public async Task Quiet_time_waits_until_it_ends_in_the_users_zone()
    {
        var zone = TestZones.At(f.Clock.GetUtcNow(), new TimeOnly(22, 30), new TimeOnly(5, 0));
        var (user, ext) = await ReachableAsync("wecom-quiet", zone);
        var result = await f.SendAsync(user);
        Assert.Equal(ChannelOutcome.RetryLater, result.Outcome);
        Assert.Equal(WeComRules.QuietTime, result.Reason);
        var ends = f.Clock.GetUtcNow() + result.RetryAfter!.Value;
        Assert.Equal(new TimeOnly(8, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(ends, CoachFunctions.Coaching.TimeZones.Resolve(zone)).DateTime));
        Assert.Empty(f.Api.SentTo(ext));
        Assert.Equal(0, (await Store.GetSessionAsync(user.UserId, default))!.Value.Session.SentInWindow); // nothing counted

        f.Clock.Advance(result.RetryAfter.Value);
        Assert.Equal(ChannelResult.Sent, await f.SendAsync(user));
        user.Dispose();
    }

    [Fact]
    public async Task The_daily_limit_refuses_the_eleventh_message_of_a_local_day()
    {
        // Late enough in the day that the next local midnight is not crossed, early enough to be outside quiet time.
        var zone = TestZones.At(f.Clock.GetUtcNow(), new TimeOnly(9, 0), new TimeOnly(16, 0));
        var (user, ext) = await ReachableAsync("wecom-daily", zone);
        for (var i = 1; i <= 5; i++) Assert.Equal(ChannelResult.Sent, await f.SendAsync(user));
        // WeCom's send_time is in seconds: a message in the same second as the last is taken as a repeat of it.
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        await f.WritesAsync(ext);
        for (var i = 6; i <= 10; i++) Assert.Equal(ChannelResult.Sent, await f.SendAsync(user));
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        await f.WritesAsync(ext);
        Assert.Equal(ChannelResult.Refuse(WeComRules.DailyLimitReached), await f.SendAsync(user));
        Assert.Equal(10, f.Api.SentTo(ext).Count());
        user.Dispose();
    }

    [Fact]
    public async Task What_wecom_refuses_is_refused_with_its_errcode_and_the_count_is_given_back()
    {
        // The session says the user wrote, but WeCom has not seen it (the fake enforces its own window).
        using var user = await f.SignInAsync("wecom-denied", TestZones.Daytime(f.Clock.GetUtcNow()));
        var ext = await f.LinkAsync(user);
        await Store.UpdateSessionAsync(user.UserId, s => s.WithInbound(f.Clock.GetUtcNow()), default);
        var result = await f.SendAsync(user);
        Assert.Equal(ChannelOutcome.Refused, result.Outcome);
        Assert.Contains("95018", result.Reason);
        Assert.Equal(0, (await Store.GetSessionAsync(user.UserId, default))!.Value.Session.SentInWindow);
        Assert.Empty(f.Api.SentTo(ext));
    }

    [Fact]
    public async Task System_busy_is_retried_later_and_not_counted()
    {
        var (user, ext) = await ReachableAsync("wecom-busy");
        f.Api.FailNextSend(-1);
        var result = await f.SendAsync(user);
        Assert.Equal(ChannelOutcome.RetryLater, result.Outcome);
        Assert.Equal(0, (await Store.GetSessionAsync(user.UserId, default))!.Value.Session.SentInWindow);
        Assert.Equal(ChannelResult.Sent, await f.SendAsync(user));
        Assert.Single(f.Api.SentTo(ext));
        user.Dispose();
    }

    [Fact]
    public async Task A_user_without_a_linked_session_is_not_reachable_and_refused()
    {
        using var user = await f.SignInAsync("wecom-none");
        Assert.False(await f.Sender.CanReachAsync(user.UserId, f.Clock.GetUtcNow(), default));
        Assert.Equal(ChannelResult.Refuse(WeComRules.NotLinked), await f.SendAsync(user));
    }
}
