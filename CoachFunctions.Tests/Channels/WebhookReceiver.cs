using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CoachFunctions.Tests.Channels;

/// <summary>One webhook as a provider received it: headers and the raw body.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body)
{
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;

    /// <summary>Verifies as a Standard Webhooks receiver does: the secret's key, id.timestamp.body, constant-time compare.</summary>
    public bool Verifies(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}")));
        return Signature.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }
}

/// <summary>A provider's webhook endpoint on a real loopback server; answers each call with the test's status (and Retry-After).</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private LoopbackServer _server = null!;

    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();

    public Uri Url => new(_server.BaseAddress, "/hook");

    public static async Task<WebhookReceiver> StartAsync(Func<int, (int Status, string? RetryAfter)> answer)
    {
        var receiver = new WebhookReceiver();
        var count = 0;
        receiver._server = await LoopbackServer.StartAsync(async http =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            receiver._received.Enqueue(new ReceivedWebhook(http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(), body));
            var (status, retryAfter) = answer(Interlocked.Increment(ref count));
            if (retryAfter is not null) http.Response.Headers.RetryAfter = retryAfter;
            http.Response.StatusCode = status;
        });
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
