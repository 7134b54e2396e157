using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CoachFunctions.Tests.Channels.WeCom;

/// <summary>
/// A loopback stand-in for qyapi.weixin.qq.com that checks what the real one does: gettoken with
/// the right corp id and secret; every call with a token it issued and that has not expired (41001
/// missing, 40014 unknown, 42001 expired); send_msg's JSON shape, and WeCom's own rule that a kf
/// account may send at most 5 messages within 48 hours of the customer's last message (95018
/// otherwise); sync_msg only with a token a callback carried, from a cursor. The clock is the test's.
/// </summary>
public sealed class FakeWeComApi : IAsyncDisposable
{
    public const string CorpId = "ww0a1b2c3d4e5f6789";
    public const string CorpSecret = "kf-secret-for-tests-only-0123456789abcdef";
    /// <summary>A kf account of this fake's own: the app keeps a sync cursor per account, and Azurite outlives a test run.</summary>
    public string KfId { get; } = "wk" + Guid.NewGuid().ToString("N")[..16];

    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _tokens = new();
    private readonly Dictionary<string, (DateTimeOffset LastInbound, int Sent)> _customers = new();
    private readonly List<JsonObject> _messages = new();
    private readonly HashSet<string> _callbackTokens = new();
    private readonly ConcurrentQueue<JsonElement> _sent = new();
    private readonly ConcurrentQueue<int> _failNextSends = new();
    private int _tokenCount;
    private LoopbackServer _server = null!;

    private FakeWeComApi(TimeProvider clock) => _clock = clock;

    public static async Task<FakeWeComApi> StartAsync(TimeProvider clock)
    {
        var fake = new FakeWeComApi(clock);
        fake._server = await LoopbackServer.StartAsync(fake.AnswerAsync);
        return fake;
    }

    public Uri BaseAddress => _server.BaseAddress;
    public IReadOnlyList<LoopbackRequest> Requests => _server.Requests;
    public int TokenFetches => Requests.Count(r => r.Path == "/cgi-bin/gettoken");
    public int SyncCalls => Requests.Count(r => r.Path == "/cgi-bin/kf/sync_msg");
    public IReadOnlyList<JsonElement> Sent => _sent.ToArray();
    public IEnumerable<JsonElement> SentTo(string externalUserId) => Sent.Where(m => m.GetProperty("touser").GetString() == externalUserId);

    /// <summary>Lifetime of the tokens it issues (expires_in).</summary>
    public int ExpiresInSeconds { get; set; } = 7200;

    /// <summary>Every token issued so far is now expired (as if WeCom had rotated it early).</summary>
    public void ExpireTokens()
    {
        lock (_gate) foreach (var t in _tokens.Keys.ToList()) _tokens[t] = DateTimeOffset.MinValue;
    }

    /// <summary>The next send_msg answers this errcode instead of sending.</summary>
    public void FailNextSend(int errCode) => _failNextSends.Enqueue(errCode);

    /// <summary>A callback token for sync_msg, as WeCom puts one in each kf_msg_or_event callback.</summary>
    public string NewCallbackToken()
    {
        var token = "ENC" + Guid.NewGuid().ToString("N");
        lock (_gate) _callbackTokens.Add(token);
        return token;
    }

    /// <summary>The customer opened the kf link carrying <paramref name="sceneParam"/>.</summary>
    public void CustomerEnters(string externalUserId, string sceneParam) => Add(new JsonObject
    {
        ["msgid"] = Guid.NewGuid().ToString("N"), ["open_kfid"] = KfId, ["send_time"] = Now, ["origin"] = 4, ["msgtype"] = "event",
        ["event"] = new JsonObject { ["event_type"] = "enter_session", ["open_kfid"] = KfId, ["external_userid"] = externalUserId, ["scene"] = "coach", ["scene_param"] = sceneParam },
    });

    /// <summary>The customer wrote to the kf account: WeCom's window opens (or restarts) now.</summary>
    public void CustomerWrites(string externalUserId, string text = "hi")
    {
        lock (_gate) _customers[externalUserId] = (_clock.GetUtcNow(), 0);
        Add(new JsonObject
        {
            ["msgid"] = Guid.NewGuid().ToString("N"), ["open_kfid"] = KfId, ["external_userid"] = externalUserId, ["send_time"] = Now, ["origin"] = 3,
            ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = text },
        });
    }

    private long Now => _clock.GetUtcNow().ToUnixTimeSeconds();

    private void Add(JsonObject message)
    {
        lock (_gate) _messages.Add(message);
    }

    private async Task AnswerAsync(HttpContext http)
    {
        var path = http.Request.Path.Value;
        var query = http.Request.Query;
        JsonObject answer;
        if (path == "/cgi-bin/gettoken" && http.Request.Method == "GET")
            answer = query["corpid"] != CorpId ? Error(40013, "invalid corpid")
                : query["corpsecret"] != CorpSecret ? Error(40001, "invalid credential")
                : IssueToken();
        else if (http.Request.Method != "POST") answer = Error(40071, "not found");
        else if (TokenProblem(query["access_token"]) is { } problem) answer = problem;
        else
        {
            JsonNode? body;
            try { body = JsonNode.Parse(await new StreamReader(http.Request.Body, Encoding.UTF8).ReadToEndAsync()); }
            catch (JsonException) { body = null; }
            answer = body is not JsonObject o ? Error(47001, "data format error")
                : path == "/cgi-bin/kf/send_msg" ? Send(o)
                : path == "/cgi-bin/kf/sync_msg" ? Sync(o)
                : Error(40071, "not found");
        }
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(answer.ToJsonString());
    }

    private JsonObject IssueToken()
    {
        var token = $"token-{Interlocked.Increment(ref _tokenCount)}-{Guid.NewGuid():N}";
        lock (_gate) _tokens[token] = _clock.GetUtcNow().AddSeconds(ExpiresInSeconds);
        return new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["access_token"] = token, ["expires_in"] = ExpiresInSeconds };
    }

    private JsonObject? TokenProblem(string? token)
    {
        if (string.IsNullOrEmpty(token)) return Error(41001, "access_token missing");
        lock (_gate)
        {
            if (!_tokens.TryGetValue(token, out var until)) return Error(40014, "invalid access_token");
            return _clock.GetUtcNow() >= until ? Error(42001, "access_token expired") : null;
        }
    }

    private JsonObject Send(JsonObject o)
    {
        var to = Str(o, "touser");
        var msgId = Str(o, "msgid");
        if (to is null || Str(o, "open_kfid") != KfId || msgId is { Length: > 32 }) return Error(40003, "invalid touser, open_kfid or msgid");
        var valid = Str(o, "msgtype") switch
        {
            "text" => o["text"] is JsonObject t && Str(t, "content") is { Length: > 0 } c && Encoding.UTF8.GetByteCount(c) <= 2048,
            "miniprogram" => o["miniprogram"] is JsonObject m && Str(m, "appid") is { Length: > 0 } && Str(m, "thumb_media_id") is { Length: > 0 } && Str(m, "pagepath") is { Length: > 0 },
            _ => false,
        };
        if (!valid) return Error(40008, "invalid message type or content");
        if (_failNextSends.TryDequeue(out var fail)) return Error(fail, "injected");
        lock (_gate)
        {
            if (!_customers.TryGetValue(to, out var c) || _clock.GetUtcNow() >= c.LastInbound.AddHours(48) || c.Sent >= 5)
                return Error(95018, "send msg session status invalid");
            _customers[to] = (c.LastInbound, c.Sent + 1);
        }
        _sent.Enqueue(JsonDocument.Parse(o.ToJsonString()).RootElement.Clone());
        return new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["msgid"] = msgId ?? Guid.NewGuid().ToString("N") };
    }

    private JsonObject Sync(JsonObject o)
    {
        var token = Str(o, "token");
        lock (_gate)
        {
            if (token is null || !_callbackTokens.Contains(token)) return Error(95007, "invalid msg token");
            if (Str(o, "open_kfid") != KfId) return Error(95000, "invalid open_kfid");
            var cursor = Str(o, "cursor") is { Length: > 0 } c ? int.Parse(c, CultureInfo.InvariantCulture) : 0;
            var limit = o["limit"]?.GetValue<int>() ?? 1000;
            if (limit is < 1 or > 1000) return Error(44004, "invalid limit");
            var page = _messages.Skip(cursor).Take(limit).Select(m => m.DeepClone()).ToArray();
            var next = cursor + page.Length;
            return new JsonObject
            {
                ["errcode"] = 0, ["errmsg"] = "ok", ["next_cursor"] = next.ToString(CultureInfo.InvariantCulture),
                ["has_more"] = next < _messages.Count ? 1 : 0, ["msg_list"] = new JsonArray(page),
            };
        }
    }

    private static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonObject Error(int code, string message) => new() { ["errcode"] = code, ["errmsg"] = message };

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
