using CoachFunctions.Api;
using CoachFunctions.Channels.WeCom;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.WeComCallback;

public sealed record WeComLinkView(string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Starts linking the caller's WeChat: the kf account's contact link with a <c>scene_param</c> that
/// carries a fresh one-time code (128 random bits, 10 minutes). When the user opens it, WeCom's
/// <c>enter_session</c> event hands the code back and the callback binds that WeChat user to the
/// caller. The code is the only proof of who opened the link, so it is used once and only its hash is stored.
/// </summary>
public sealed class WeComLinkFunction(WeComChannel channel, WeComStore store, TimeProvider time)
{
    [Function("WeComLink")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/wecom/link")] HttpRequest req, CancellationToken ct)
    {
        if (!channel.IsConfigured || channel.Options.ContactUrl.Length == 0) return CallbackAnswers.NotConfigured();
        var expiresAt = time.GetUtcNow() + WeComChannel.LinkCodeLifetime;
        var code = await store.CreateLinkCodeAsync(req.HttpContext.User.Id(), expiresAt, ct);
        var url = channel.Options.ContactUrl;
        url += (url.Contains('?') ? "&" : "?") + "scene_param=" + Uri.EscapeDataString(code);
        return Results.Ok(new WeComLinkView(url, expiresAt));
    }
}
