using CoachFunctions.Coaching.Channels;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Channels.WeCom;

/// <summary>The channel with a mini-program configured: cards instead of texts.</summary>
public sealed class MiniProgramFixture : WeComFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Channels:WeCom:MiniProgramAppId"] = "wx50fc05960f4152a6",
        ["Channels:WeCom:MiniProgramPagePath"] = "pages/prompt/prompt.html",
        ["Channels:WeCom:MiniProgramThumbMediaId"] = "MEDIA_ID_FOR_TESTS",
    };
}

[Collection(LocalHostCollection.Name)]
public sealed class WeComMiniProgramTests(MiniProgramFixture f) : IClassFixture<MiniProgramFixture>
{
    [Fact]
    public async Task With_a_mini_program_configured_a_prompt_goes_out_as_a_card_opening_it()
    {
        using var user = await f.SignInAsync("wecom-card", TestZones.Daytime(f.Clock.GetUtcNow()));
        var ext = await f.LinkAsync(user);
        await f.WritesAsync(ext);
        Assert.Equal(ChannelResult.Sent, await f.SendAsync(user));
        var card = Assert.Single(f.Api.SentTo(ext));
        Assert.Equal("miniprogram", card.GetProperty("msgtype").GetString());
        var mp = card.GetProperty("miniprogram");
        Assert.Equal("wx50fc05960f4152a6", mp.GetProperty("appid").GetString());
        Assert.Equal("MEDIA_ID_FOR_TESTS", mp.GetProperty("thumb_media_id").GetString());
        Assert.StartsWith("pages/prompt/prompt.html?promptId=", mp.GetProperty("pagepath").GetString());
        Assert.False(string.IsNullOrWhiteSpace(mp.GetProperty("title").GetString()));
    }
}
