using System.Net;
using System.Text;
using CoachFunctions.Coaching.Channels;

namespace CoachFunctions.Channels.Webhooks;

/// <summary>
/// POSTs one signed webhook and says what it came to: 2xx sent; 408, 429, 5xx, a timeout or a
/// connection failure retry later (after the receiver's Retry-After when it gives one); any other
/// status refused. The timestamp is the app's clock (<see cref="TimeProvider"/>). Logs name the
/// host and status only: never the secret, the signature, the body or the URL's path and query.
/// </summary>
public sealed class WebhookClient(HttpClient http, WebhookOptions options, TimeProvider time, ILogger<WebhookClient> logger)
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public async Task<ChannelResult> PostAsync(Uri url, string webhookId, string body, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(IdHeader, webhookId);
        request.Headers.TryAddWithoutValidation(TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(SignatureHeader, WebhookSignature.Sign(options.Key, webhookId, timestamp, body));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            logger.LogInformation("Webhook {WebhookId} to {Host} answered {Status}.", webhookId, url.Host, status);
            if (response.IsSuccessStatusCode) return ChannelResult.Sent;
            if (status is 408 or 429 || status >= 500)
                return ChannelResult.Retry($"http {status}", RetryAfter(response, now));
            return ChannelResult.Refuse($"http {status}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Webhook {WebhookId} to {Host} timed out.", webhookId, url.Host);
            return ChannelResult.Retry("timeout");
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("Webhook {WebhookId} to {Host} failed: {Error}.", webhookId, url.Host, e.HttpRequestError);
            return ChannelResult.Retry($"connection: {e.HttpRequestError}");
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } when date > now => date - now,
        _ => null,
    };
}
