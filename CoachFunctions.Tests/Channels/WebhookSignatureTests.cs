using CoachFunctions.Channels.Webhooks;
using Microsoft.Extensions.Configuration;

namespace CoachFunctions.Tests.Channels;

public sealed class WebhookSignatureTests
{
    /// <summary>The Standard Webhooks reference libraries' test vector.</summary>
    [Fact]
    public void Signs_as_the_standard_webhooks_libraries_do()
    {
        var key = WebhookOptions.ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSignature.Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")] // no prefix
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_c2hvcnQ=")] // 5 bytes
    public void A_malformed_secret_fails_without_echoing_it(string secret)
    {
        var e = Assert.Throws<InvalidOperationException>(() => WebhookOptions.ParseSecret(secret));
        Assert.DoesNotContain(secret, e.Message);
    }

    [Fact]
    public void A_url_without_a_secret_fails_at_start_up_and_no_url_means_no_channel()
    {
        static IConfiguration Settings(params (string, string)[] values) =>
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Item1, v.Item2))).Build();
        Assert.Throws<InvalidOperationException>(() => WebhookOptions.FromConfiguration(Settings((WebhookOptions.PushUrlSetting, "https://push.example/hook"))));
        Assert.Throws<InvalidOperationException>(() => WebhookOptions.FromConfiguration(Settings((WebhookOptions.EmailUrlSetting, "ftp://x/"),
            (WebhookOptions.SecretSetting, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))));
        var none = WebhookOptions.FromConfiguration(Settings());
        Assert.Null(none.Push);
        Assert.Null(none.Email);
    }
}
