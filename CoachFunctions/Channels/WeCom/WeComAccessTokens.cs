using System.Text.Json;

namespace CoachFunctions.Channels.WeCom;

/// <summary>
/// The access token from <c>GET /cgi-bin/gettoken</c>, kept for its <c>expires_in</c> less a margin
/// and shared: however many sends ask at once, one fetch runs and all of them await it (WeCom limits
/// gettoken calls, and every fetch makes the previous token's lifetime uncertain). A caller that
/// found its token refused drops exactly that token, so a burst of refusals refetches once.
/// </summary>
public sealed class WeComAccessTokens(IHttpClientFactory httpFactory, WeComOptions options, TimeProvider time)
{
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private (string Token, DateTimeOffset Until)? _current;
    private Task<string>? _fetch;

    public async Task<string> GetAsync(CancellationToken ct)
    {
        Task<string> fetch;
        lock (_gate)
        {
            if (_current is { } c && time.GetUtcNow() < c.Until) return c.Token;
            // Not tied to this caller's cancellation: others may be waiting on the same fetch.
            if (_fetch is null || _fetch.IsCompleted) _fetch = FetchAsync();
            fetch = _fetch;
        }
        return await fetch.WaitAsync(ct);
    }

    /// <summary>WeCom refused <paramref name="token"/>: the next caller fetches a new one (unless one already has).</summary>
    public void Invalidate(string token)
    {
        lock (_gate)
            if (_current?.Token == token) _current = null;
    }

    private async Task<string> FetchAsync()
    {
        using var timeout = new CancellationTokenSource(FetchTimeout);
        var http = httpFactory.CreateClient(WeComApiClient.HttpClientName);
        // The secret travels in the query, as WeCom requires; the client has no request logging (CoachWorker).
        var path = $"cgi-bin/gettoken?corpid={Uri.EscapeDataString(options.CorpId)}&corpsecret={Uri.EscapeDataString(options.CorpSecret)}";
        WeComReply reply;
        try
        {
            using var response = await http.GetAsync(path, timeout.Token);
            if (!response.IsSuccessStatusCode) throw new WeComException($"gettoken answered HTTP {(int)response.StatusCode}", transient: true);
            reply = WeComReply.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
        {
            throw new WeComException("gettoken did not answer", transient: true);
        }
        if (reply.ErrCode != 0)
            throw new WeComException($"gettoken refused the app's credentials (errcode {reply.ErrCode})", transient: reply.ErrCode == WeComErrors.SystemBusy, reply.ErrCode);
        if (reply.String("access_token") is not { Length: > 0 } token || reply.Number("expires_in") is not { } seconds || seconds <= 0)
            throw new WeComException("gettoken answered without a token", transient: true);
        var lifetime = TimeSpan.FromSeconds(seconds);
        // A token shorter-lived than twice the margin is kept for half its life instead.
        var keep = lifetime > 2 * Margin ? lifetime - Margin : lifetime / 2;
        lock (_gate) _current = (token, time.GetUtcNow() + keep);
        return token;
    }
}
