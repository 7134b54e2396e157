using System.Text.Json;

namespace CoachFunctions.Channels.WeCom;

/// <summary>
/// The kf API calls the channel makes, each with the shared access token; a token WeCom calls
/// invalid or expired is dropped, a new one fetched and the call made once more.
/// </summary>
public sealed class WeComApiClient(IHttpClientFactory httpFactory, WeComAccessTokens tokens)
{
    public const string HttpClientName = "WeCom";

    public Task<WeComReply> SendMessageAsync(object message, CancellationToken ct) => CallAsync("cgi-bin/kf/send_msg", message, ct);

    /// <summary>One page of messages after <paramref name="cursor"/>, with the token a callback carried.</summary>
    public Task<WeComReply> SyncMessagesAsync(string? cursor, string callbackToken, string openKfId, CancellationToken ct) =>
        CallAsync("cgi-bin/kf/sync_msg", new SyncRequest(cursor ?? "", callbackToken, 1000, 0, openKfId), ct);

    private async Task<WeComReply> CallAsync(string path, object body, CancellationToken ct)
    {
        var token = await tokens.GetAsync(ct);
        var reply = await PostAsync(path, token, body, ct);
        if (!WeComErrors.TokenErrors.Contains(reply.ErrCode)) return reply;
        tokens.Invalidate(token);
        return await PostAsync(path, await tokens.GetAsync(ct), body, ct);
    }

    private async Task<WeComReply> PostAsync(string path, string token, object body, CancellationToken ct)
    {
        var http = httpFactory.CreateClient(HttpClientName);
        try
        {
            using var response = await http.PostAsync($"{path}?access_token={Uri.EscapeDataString(token)}", JsonContent.Create(body, body.GetType(), options: WireJson), ct);
            if (!response.IsSuccessStatusCode) throw new WeComException($"{path} answered HTTP {(int)response.StatusCode}", transient: true);
            return WeComReply.Parse(await response.Content.ReadAsStringAsync(ct));
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new WeComException($"{path} did not answer", transient: true);
        }
    }

    /// <summary>WeCom's own field names (snake_case) as written in the request types.</summary>
    private static readonly JsonSerializerOptions WireJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private sealed record SyncRequest(
        [property: System.Text.Json.Serialization.JsonPropertyName("cursor")] string Cursor,
        [property: System.Text.Json.Serialization.JsonPropertyName("token")] string Token,
        [property: System.Text.Json.Serialization.JsonPropertyName("limit")] int Limit,
        [property: System.Text.Json.Serialization.JsonPropertyName("voice_format")] int VoiceFormat,
        [property: System.Text.Json.Serialization.JsonPropertyName("open_kfid")] string OpenKfId);
}
