using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// A client that speaks the SignalR JSON hub protocol over a real WebSocket, as the JS client does
/// with SignalR Service: POST /api/negotiate for {url, accessToken}, negotiate with the hub using the
/// token, connect with access_token in the query, handshake, then receive invocations.
/// (The .NET SignalR client package cannot be restored here; see platform.md.)
/// </summary>
public sealed class SignalRTestClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<(string Target, JsonElement[] Arguments)> _received = Channel.CreateUnbounded<(string, JsonElement[])>();
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;

    public static async Task<SignalRTestClient> ConnectAsync(AppHost host, ApiClient user)
    {
        var negotiate = await user.JsonAsync(HttpMethod.Post, "/api/negotiate");
        var url = negotiate.GetProperty("url").GetString()!;
        var accessToken = negotiate.GetProperty("accessToken").GetString()!;

        var hubUri = new Uri(url);
        using var response = await NegotiateWithHubAsync(hubUri, accessToken);
        response.EnsureSuccessStatusCode();
        var connection = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var connectionToken = connection.GetProperty("connectionToken").GetString()!;

        var client = new SignalRTestClient();
        var ws = new UriBuilder(hubUri)
        {
            Scheme = hubUri.Scheme == "https" ? "wss" : "ws",
            Query = hubUri.Query.TrimStart('?') + $"&id={Uri.EscapeDataString(connectionToken)}&access_token={Uri.EscapeDataString(accessToken)}",
        }.Uri;
        await client._socket.ConnectAsync(ws, CancellationToken.None);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        var handshake = await client.ReadRecordAsync(CancellationToken.None);
        if (handshake is null || handshake.Contains("\"error\"")) throw new InvalidOperationException($"Handshake failed: {handshake}");
        client._reader = Task.Run(client.ReadLoopAsync);
        return client;
    }

    /// <summary>The status the hub's negotiate answers for the given token: 200 when it accepts it.</summary>
    public static async Task<int> TryConnectStatusAsync(Uri hubUrl, string accessToken)
    {
        using var response = await NegotiateWithHubAsync(hubUrl, accessToken);
        return (int)response.StatusCode;
    }

    /// <summary>The hub's own negotiate (<c>&lt;hub url path&gt;/negotiate</c>), authorized with the access token.</summary>
    private static async Task<HttpResponseMessage> NegotiateWithHubAsync(Uri hubUrl, string accessToken)
    {
        using var http = new HttpClient();
        var negotiateUri = new UriBuilder(hubUrl) { Path = hubUrl.AbsolutePath.TrimEnd('/') + "/negotiate", Query = hubUrl.Query.TrimStart('?') + "&negotiateVersion=1" }.Uri;
        var request = new HttpRequestMessage(HttpMethod.Post, negotiateUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>The next message for <paramref name="target"/>, or null when none arrives in time.</summary>
    public async Task<JsonElement[]?> WaitForAsync(string target, TimeSpan timeout, Func<JsonElement[], bool>? match = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var (t, args) = await _received.Reader.ReadAsync(cts.Token);
                if (t == target && (match is null || match(args))) return args;
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested && await ReadRecordAsync(_stop.Token) is { } record)
            {
                using var doc = JsonDocument.Parse(record);
                var type = doc.RootElement.GetProperty("type").GetInt32();
                if (type == 1)
                {
                    var target = doc.RootElement.GetProperty("target").GetString()!;
                    var args = doc.RootElement.GetProperty("arguments").EnumerateArray().Select(a => a.Clone()).ToArray();
                    _received.Writer.TryWrite((target, args));
                }
                else if (type == 7)
                {
                    break;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested || _socket.State != WebSocketState.Open)
        {
        }
    }

    private readonly StringBuilder _pending = new();

    private async Task<string?> ReadRecordAsync(CancellationToken ct)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf(RecordSeparator);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                return text[..end];
            }
            var result = await _socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            _pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
    }

    private Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", new CancellationTokenSource(2000).Token);
        }
        catch (Exception) { }
        if (_reader is not null) await Task.WhenAny(_reader, Task.Delay(2000));
        _socket.Dispose();
    }
}
