using System.Globalization;
using System.Net;
using CoachFunctions.Channels.WeCom;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Channels.WeCom;

/// <summary>WeCom's callback through the local host: URL verification, the encrypted event that records a session, what is refused, and linking.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class WeComCallbackTests(WeComFixture f) : IClassFixture<WeComFixture>
{
    private WeComStore Store => f.Host.Services.GetRequiredService<WeComStore>();

    private string Timestamp(DateTimeOffset? at = null) => (at ?? f.Clock.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Url_verification_answers_the_decrypted_echostr_and_only_when_signed()
    {
        var echo = "echo-" + Guid.NewGuid().ToString("N");
        var encrypted = f.Signer.Encrypt(echo, FakeWeComApi.CorpId);
        var ts = Timestamp();
        var ok = await f.Anonymous.GetAsync($"/api/channels/wecom/callback?{f.Signer.Query(ts, "n0nce", encrypted)}&echostr={Uri.EscapeDataString(encrypted)}");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(echo, await ok.Content.ReadAsStringAsync());
        Assert.StartsWith("text/plain", ok.Content.Headers.ContentType!.ToString());

        var forged = await f.Anonymous.GetAsync($"/api/channels/wecom/callback?{f.Signer.Query(ts, "n0nce", encrypted, new string('0', 40))}&echostr={Uri.EscapeDataString(encrypted)}");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.DoesNotContain(echo, await forged.Content.ReadAsStringAsync());
        var missing = await f.Anonymous.GetAsync($"/api/channels/wecom/callback?timestamp={ts}&nonce=n0nce&echostr={Uri.EscapeDataString(encrypted)}");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task An_encrypted_callback_syncs_the_messages_and_records_the_session_against_the_linked_user()
    {
        using var user = await f.SignInAsync("wecom-cb");
        var ext = await f.LinkAsync(user);
        var linked = await Store.GetSessionAsync(user.UserId, default);
        Assert.Equal(new CoachFunctions.Coaching.Channels.WeCom.WeComSession(f.Api.KfId, ext), linked?.Session); // entering opens no window
        Assert.Equal(user.UserId, await Store.FindUserAsync(ext, default));
        Assert.True(await f.Sender.CanReachAsync(user.UserId, f.Clock.GetUtcNow(), default));

        await f.WritesAsync(ext);
        var session = (await Store.GetSessionAsync(user.UserId, default))!.Value.Session;
        Assert.Equal(f.Clock.GetUtcNow(), session.LastInboundAt);
        Assert.Equal(0, session.SentInWindow);
        // The same callback again (WeCom retries) reads from the saved cursor: nothing new, nothing changes.
        var syncsBefore = f.Api.SyncCalls;
        await f.CallbackAsync();
        Assert.Equal(syncsBefore + 1, f.Api.SyncCalls);
        Assert.Equal(session, (await Store.GetSessionAsync(user.UserId, default))!.Value.Session);
        // Every sync carried a token from a callback, and a valid access token (the fake refuses anything else).
        Assert.All(f.Api.Requests.Where(r => r.Path == "/cgi-bin/kf/sync_msg"), r => Assert.Contains("access_token=token-", r.Query));
    }

    [Fact]
    public async Task A_forged_stale_or_misaddressed_callback_is_refused_and_records_nothing()
    {
        using var user = await f.SignInAsync("wecom-forged");
        var code = await f.LinkCodeAsync(user);
        var ext = WeComFixture.NewExternalUserId();
        f.Api.CustomerEnters(ext, code);
        var syncs = f.Api.SyncCalls;

        var forged = await f.CallbackAsync(signature: new string('a', 40), expectSuccess: false);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        var stale = await f.CallbackAsync(at: f.Clock.GetUtcNow().AddMinutes(-6), expectSuccess: false);
        Assert.Equal(HttpStatusCode.Forbidden, stale.StatusCode);
        var otherCorp = await f.CallbackAsync(receiveId: "wwsomeoneelse", expectSuccess: false);
        Assert.Equal(HttpStatusCode.Forbidden, otherCorp.StatusCode);
        var garbage = await f.Anonymous.PostAsync($"/api/channels/wecom/callback?{f.Signer.Query(Timestamp(), "n", "x")}", new StringContent("<xml><Encrypt>x</Encrypt>", System.Text.Encoding.UTF8, "text/xml"));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        var dtd = await f.Anonymous.PostAsync($"/api/channels/wecom/callback?{f.Signer.Query(Timestamp(), "n", "x")}",
            new StringContent("<!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><Encrypt>&e;</Encrypt></xml>", System.Text.Encoding.UTF8, "text/xml"));
        Assert.Equal(HttpStatusCode.BadRequest, dtd.StatusCode);

        Assert.Equal(syncs, f.Api.SyncCalls); // nothing was fetched
        Assert.Null(await Store.GetSessionAsync(user.UserId, default));
        Assert.Null(await Store.FindUserAsync(ext, default));

        // The genuine callback still links with the same, unused code.
        await f.CallbackAsync();
        Assert.Equal(user.UserId, await Store.FindUserAsync(ext, default));
    }

    [Fact]
    public async Task A_link_code_binds_the_user_it_was_made_for_once_and_not_after_it_expired()
    {
        using var alice = await f.SignInAsync("wecom-alice");
        using var bob = await f.SignInAsync("wecom-bob");
        var aliceCode = await f.LinkCodeAsync(alice);
        var bobCode = await f.LinkCodeAsync(bob);
        Assert.NotEqual(aliceCode, bobCode);
        Assert.Matches("^[0-9A-Za-z_-]{22}$", aliceCode);

        var aliceWeChat = WeComFixture.NewExternalUserId();
        var bobWeChat = WeComFixture.NewExternalUserId();
        f.Api.CustomerEnters(bobWeChat, bobCode);
        f.Api.CustomerEnters(aliceWeChat, aliceCode);
        var intruder = WeComFixture.NewExternalUserId();
        f.Api.CustomerEnters(intruder, aliceCode); // the same link forwarded to someone else
        await f.CallbackAsync();

        Assert.Equal(alice.UserId, await Store.FindUserAsync(aliceWeChat, default));
        Assert.Equal(bob.UserId, await Store.FindUserAsync(bobWeChat, default));
        Assert.Null(await Store.FindUserAsync(intruder, default));
        Assert.Equal(aliceWeChat, (await Store.GetSessionAsync(alice.UserId, default))!.Value.Session.ExternalUserId);

        // A code older than its 10 minutes binds nobody.
        using var late = await f.SignInAsync("wecom-late");
        var lateCode = await f.LinkCodeAsync(late);
        f.Clock.Advance(WeComChannel.LinkCodeLifetime + TimeSpan.FromSeconds(1));
        var lateWeChat = WeComFixture.NewExternalUserId();
        f.Api.CustomerEnters(lateWeChat, lateCode);
        await f.CallbackAsync();
        Assert.Null(await Store.FindUserAsync(lateWeChat, default));
        Assert.Null(await Store.GetSessionAsync(late.UserId, default));
    }

    [Fact]
    public async Task Messages_from_a_wechat_user_nobody_linked_are_read_and_dropped()
    {
        var stranger = WeComFixture.NewExternalUserId();
        await f.WritesAsync(stranger);
        Assert.Null(await Store.FindUserAsync(stranger, default));
    }

    [Fact]
    public async Task Linking_needs_a_signed_in_user()
    {
        var anonymous = await f.Anonymous.PostAsync("/api/channels/wecom/link", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
