using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CoachFunctions.Channels.Webhooks;
using CoachFunctions.Coaching.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CoachFunctions.Tests.Channels;

/// <summary>
/// The webhook client against real loopback receivers: what each answer comes to, the headers
/// (timestamp from the app's clock), and that no log line carries the secret, the signature or the body.
/// </summary>
public sealed class WebhookClientTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(200, null, ChannelOutcome.Sent)]
    [InlineData(204, null, ChannelOutcome.Sent)]
    [InlineData(408, null, ChannelOutcome.RetryLater)]
    [InlineData(429, "7", ChannelOutcome.RetryLater)]
    [InlineData(503, "2", ChannelOutcome.RetryLater)]
    [InlineData(500, null, ChannelOutcome.RetryLater)]
    [InlineData(400, null, ChannelOutcome.Refused)]
    [InlineData(404, null, ChannelOutcome.Refused)]
    [InlineData(410, null, ChannelOutcome.Refused)]
    public async Task Each_answer_comes_to_its_outcome(int status, string? retryAfter, ChannelOutcome expected)
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => (status, retryAfter));
        var (client, log) = Client(receiver.Url);

        var result = await client.PostAsync(receiver.Url, "msg_p1_push", "{\"kind\":\"prompt\",\"email\":\"secret-body@example.com\"}", default);

        Assert.Equal(expected, result.Outcome);
        if (retryAfter is not null) Assert.Equal(TimeSpan.FromSeconds(int.Parse(retryAfter)), result.RetryAfter);
        var hook = Assert.Single(receiver.Received);
        Assert.Equal("msg_p1_push", hook.Id);
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(), hook.Timestamp);
        Assert.True(hook.Verifies(WebhookReceiver.Secret));
        AssertNothingSecretIn(log, hook);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_later()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var url = new Uri($"http://127.0.0.1:{port}/hook");
        var (client, log) = Client(url);

        var result = await client.PostAsync(url, "msg_p2_email", "{}", default);

        Assert.Equal(ChannelOutcome.RetryLater, result.Outcome);
        Assert.StartsWith("connection", result.Reason);
        Assert.DoesNotContain(log, l => l.Contains(WebhookReceiver.Secret["whsec_".Length..]));
    }

    [Fact]
    public async Task A_receiver_slower_than_the_timeout_is_retried_later()
    {
        await using var slow = await WebhookReceiver.StartAsync(_ => { Thread.Sleep(3000); return (200, null); });
        var (client, _) = Client(slow.Url, TimeSpan.FromMilliseconds(500));

        var result = await client.PostAsync(slow.Url, "msg_p3_push", "{}", default);

        Assert.Equal(ChannelResult.Retry("timeout"), result);
    }

    private static void AssertNothingSecretIn(IEnumerable<string> log, ReceivedWebhook hook)
    {
        var lines = log.ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            Assert.DoesNotContain(WebhookReceiver.Secret["whsec_".Length..], line);
            Assert.DoesNotContain(hook.Signature[3..], line);
            Assert.DoesNotContain("secret-body@example.com", line);
            Assert.DoesNotContain("/hook", line); // the URL's path (and any token in it) stays out too
        }
    }

    private static (WebhookClient Client, ConcurrentQueue<string> Log) Client(Uri url, TimeSpan? timeout = null)
    {
        var options = WebhookOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [WebhookOptions.PushUrlSetting] = url.ToString(),
            [WebhookOptions.SecretSetting] = WebhookReceiver.Secret,
        }).Build());
        var log = new ConcurrentQueue<string>();
        var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        return (new WebhookClient(http, options, new FakeTimeProvider(Now), new LineLogger(log)), log);
    }

    private sealed class LineLogger(ConcurrentQueue<string> lines) : ILogger<WebhookClient>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception) + " " + exception);
    }
}
