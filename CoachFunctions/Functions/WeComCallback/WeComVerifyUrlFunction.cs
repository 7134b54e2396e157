using CoachFunctions.Channels.WeCom;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.WeComCallback;

/// <summary>
/// WeCom's check of the callback URL when an admin saves it: the signed, encrypted echostr,
/// answered in plain text once the signature, the timestamp and the receiveid hold. Anonymous: WeCom
/// signs, it carries no token.
/// </summary>
public sealed class WeComVerifyUrlFunction(WeComChannel channel, TimeProvider time)
{
    [Function("WeComVerifyUrl")]
    [AllowAnonymous]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "channels/wecom/callback")] HttpRequest req)
    {
        if (!channel.IsConfigured) return CallbackAnswers.NotConfigured();
        var q = req.Query;
        var (plain, failure) = WeComCallbackVerifier.Open(channel, q["msg_signature"], q["timestamp"], q["nonce"], q["echostr"], time.GetUtcNow());
        return plain is null ? CallbackAnswers.Refused(failure) : Results.Text(plain, "text/plain");
    }
}
