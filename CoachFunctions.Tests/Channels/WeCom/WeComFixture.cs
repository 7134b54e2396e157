using System.Globalization;
using System.Text;
using CoachFunctions.Channels;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Tests.EndToEnd;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoachFunctions.Tests.Channels.WeCom;

/// <summary>
/// The app on the local host with the WeCom channel on, pointed at a <see cref="FakeWeComApi"/>,
/// on a fake clock both share (10:00 UTC: outside the default quiet time for a user in UTC).
/// Each test makes its own users and WeChat users, so tests share one host.
/// </summary>
public class WeComFixture : IAsyncLifetime
{
    public const string Token = "callback-token-for-tests";
    public static readonly DateTimeOffset Start = new(2031, 5, 6, 10, 0, 0, TimeSpan.Zero);
    public static readonly string AesKey = CallbackSigner.NewEncodingAesKey();

    public FakeTimeProvider Clock { get; } = new(Start);
    public FakeWeComApi Api { get; private set; } = null!;
    public AppHost Host { get; private set; } = null!;
    public HttpClient Anonymous { get; private set; } = null!;
    public CallbackSigner Signer { get; } = new(Token, AesKey);

    public async Task InitializeAsync()
    {
        Api = await FakeWeComApi.StartAsync(Clock);
        Host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), new Dictionary<string, string?>
        {
            ["Channels:WeCom:CorpId"] = FakeWeComApi.CorpId,
            ["Channels:WeCom:CorpSecret"] = FakeWeComApi.CorpSecret,
            ["Channels:WeCom:Token"] = Token,
            ["Channels:WeCom:EncodingAESKey"] = AesKey,
            ["Channels:WeCom:ApiBaseUrl"] = Api.BaseAddress.ToString(),
            ["Channels:WeCom:ContactUrl"] = "https://work.weixin.qq.com/kf/kfc0123456789abcdef?enc_scene=ENCtest",
        }.Concat(ExtraSettings).ToDictionary(), time: Clock);
        Anonymous = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Settings a derived fixture adds (a mini-program, other limits).</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    public IChannelSender Sender => Host.Services.GetServices<IChannelSender>().Single(s => s.Channel == DeliveryChannels.WeCom);

    public static string NewExternalUserId() => "wm" + Guid.NewGuid().ToString("N");

    public async Task<ApiClient> SignInAsync(string name, string timeZone = "UTC", params string[] roles)
    {
        var user = await ApiClient.SignInAsync(Host, ApiClient.NewUserId(name), roles);
        await user.JsonAsync(HttpMethod.Put, "/api/preferences", new { timeZone });
        return user;
    }

    /// <summary>The user asks for a link, and the WeChat user opens it: WeCom's enter_session reaches the callback.</summary>
    public async Task<string> LinkAsync(ApiClient user, string? externalUserId = null)
    {
        var ext = externalUserId ?? NewExternalUserId();
        Api.CustomerEnters(ext, await LinkCodeAsync(user));
        await CallbackAsync();
        return ext;
    }

    public async Task<string> LinkCodeAsync(ApiClient user)
    {
        var link = await user.JsonAsync(HttpMethod.Post, "/api/channels/wecom/link");
        var url = new Uri(link.GetProperty("url").GetString()!);
        return Uri.UnescapeDataString(url.Query.TrimStart('?').Split('&').Single(p => p.StartsWith("scene_param=", StringComparison.Ordinal))["scene_param=".Length..]);
    }

    /// <summary>The WeChat user writes to the kf account, and WeCom's callback says so.</summary>
    public async Task WritesAsync(string externalUserId)
    {
        Api.CustomerWrites(externalUserId);
        await CallbackAsync();
    }

    /// <summary>A kf_msg_or_event callback, signed and encrypted as WeCom does it; success expected unless told.</summary>
    public async Task<HttpResponseMessage> CallbackAsync(string? signature = null, DateTimeOffset? at = null, string? receiveId = null, bool expectSuccess = true)
    {
        var now = at ?? Clock.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Guid.NewGuid().ToString("N")[..10];
        var encrypted = Signer.Encrypt(CallbackSigner.KfEvent(FakeWeComApi.CorpId, Api.NewCallbackToken(), Api.KfId, now.ToUnixTimeSeconds()), receiveId ?? FakeWeComApi.CorpId);
        var response = await Anonymous.PostAsync("/api/channels/wecom/callback?" + Signer.Query(timestamp, nonce, encrypted, signature),
            new StringContent(CallbackSigner.Envelope(FakeWeComApi.CorpId, encrypted), Encoding.UTF8, "text/xml"));
        if (expectSuccess)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode && text == "success", $"the callback answered {(int)response.StatusCode}: {text}");
        }
        return response;
    }

    /// <summary>A stored prompt handed to the WeCom sender now, as the dispatcher would.</summary>
    public async Task<CoachFunctions.Coaching.Channels.ChannelResult> SendAsync(ApiClient user, string habitName = "Stretch")
    {
        var prompt = await TestData.PromptAsync(Host, user.UserId, PromptTypes.HabitMissed, new DetectionFacts { HabitId = "h1", HabitName = habitName },
            createdAt: Clock.GetUtcNow(), expiresAt: Clock.GetUtcNow().AddDays(3));
        return await Sender.SendAsync(new ChannelMessage(prompt, $"{prompt.Id}:wecom", 1, Clock.GetUtcNow()), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        await Host.DisposeAsync();
        await Api.DisposeAsync();
    }
}

/// <summary>Zones with offsets no more than 5 hours apart around the clock: at any instant one of them shows any 7-hour band.</summary>
public static class TestZones
{
    private static readonly string[] Candidates =
        ["UTC", "Europe/Berlin", "Asia/Kolkata", "Asia/Shanghai", "Asia/Tokyo", "Pacific/Kiritimati", "Pacific/Honolulu", "America/Los_Angeles", "America/New_York"];

    /// <summary>A zone whose local time at <paramref name="now"/> is in [from, to) (to may be past midnight).</summary>
    public static string At(DateTimeOffset now, TimeOnly from, TimeOnly to) => Candidates.First(id =>
    {
        var t = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZones.Resolve(id)).DateTime);
        return from < to ? t >= from && t < to : t >= from || t < to;
    });

    /// <summary>Daytime, well outside the channel's default 22:00-08:00 quiet time.</summary>
    public static string Daytime(DateTimeOffset now) => At(now, new TimeOnly(9, 0), new TimeOnly(20, 0));
}
