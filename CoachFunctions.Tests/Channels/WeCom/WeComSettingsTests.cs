using System.Net;
using CoachFunctions.Channels;
using CoachFunctions.Channels.WeCom;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Channels.WeCom;

/// <summary>The channel is on with all four credentials, off with none, and a start-up error in between.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class WeComSettingsTests
{
    private static WeComOptions Full() => new()
    {
        CorpId = "ww1", CorpSecret = "s", Token = "t", EncodingAESKey = CallbackSigner.NewEncodingAesKey(),
    };

    [Fact]
    public void All_four_credentials_or_none()
    {
        Assert.False(WeComOptions.Validate(new WeComOptions()));
        Assert.True(WeComOptions.Validate(Full()));
        var half = Full();
        half.CorpSecret = "";
        var error = Assert.Throws<InvalidOperationException>(() => WeComOptions.Validate(half));
        Assert.Contains("Channels__WeCom__CorpId", error.Message);
        Assert.Throws<InvalidOperationException>(() => WeComOptions.Validate(WithKey("too-short")));
        Assert.Throws<InvalidOperationException>(() => WeComOptions.Validate(WithQuiet("22-08")));
    }

    [Fact]
    public async Task Without_its_settings_the_channel_is_off_and_its_routes_are_not_found()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        Assert.DoesNotContain(host.Services.GetServices<IChannelSender>(), s => s.Channel == "wecom");
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("wecom-off"));
        Assert.Equal(HttpStatusCode.NotFound, (await user.SendJsonAsync(HttpMethod.Post, "/api/channels/wecom/link", null)).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/channels/wecom/callback?msg_signature=a&timestamp=1&nonce=n&echostr=e")).StatusCode);
    }

    private static WeComOptions WithKey(string key) { var o = Full(); o.EncodingAESKey = key; return o; }

    private static WeComOptions WithQuiet(string quiet) { var o = Full(); o.QuietTime = quiet; return o; }
}
