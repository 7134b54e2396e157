using CoachFunctions.Api;
using CoachFunctions.Channels.WeCom;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.WeComCallback;

/// <summary>
/// WeCom's event callback. The envelope's <c>Encrypt</c> is verified (signature, timestamp) and
/// decrypted (receiveid = our corp id) before anything is read; a <c>kf_msg_or_event</c> event then
/// pulls the kf account's new messages (<see cref="WeComInbox"/>) and records sessions and inbound
/// messages. "success" tells WeCom not to retry; a sync that failed answers 503, so WeCom calls
/// again and the sync resumes from the saved cursor.
/// </summary>
public sealed class WeComCallbackFunction(WeComChannel channel, WeComInbox inbox, TimeProvider time, ILogger<WeComCallbackFunction> log)
{
    [Function("WeComCallback")]
    [AllowAnonymous]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels/wecom/callback")] HttpRequest req, CancellationToken ct)
    {
        if (!channel.IsConfigured) return CallbackAnswers.NotConfigured();
        if (await CallbackEnvelope.ReadBodyAsync(req, ct) is not { } body || CallbackEnvelope.Read(body) is not { } envelope)
            return Problems.BadRequest($"The body is not a WeCom callback envelope (XML, at most {CallbackEnvelope.MaxBytes} bytes).");
        var q = req.Query;
        var (plain, failure) = WeComCallbackVerifier.Open(channel, q["msg_signature"], q["timestamp"], q["nonce"], envelope.GetValueOrDefault("Encrypt"), time.GetUtcNow());
        if (plain is null)
        {
            log.LogWarning("WeCom callback refused: {Failure}.", failure);
            return CallbackAnswers.Refused(failure);
        }
        if (CallbackEnvelope.Read(plain) is not { } message) return Problems.BadRequest("The decrypted message is not XML.");

        if (message.GetValueOrDefault("MsgType") == "event" && message.GetValueOrDefault("Event") == "kf_msg_or_event"
            && message.GetValueOrDefault("Token") is { Length: > 0 } token && message.GetValueOrDefault("OpenKfId") is { } kf && WeComStore.IsWeComId(kf))
        {
            try
            {
                await inbox.SyncAsync(kf, token, ct);
            }
            catch (WeComException e)
            {
                log.LogWarning("WeCom sync after a callback failed: {Reason}.", e.Message);
                return Problems.Unavailable("The messages could not be fetched from WeCom; call again.");
            }
        }
        return Results.Text("success", "text/plain");
    }
}
