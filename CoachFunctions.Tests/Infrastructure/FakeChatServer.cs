using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 that speaks the chat-completions protocol: it answers
/// <c>POST</c> on any path ending in <c>/chat/completions</c>, so both shapes the clients send work:
/// <c>{base}/chat/completions</c> (OpenAI, Ollama, vLLM) and
/// <c>/openai/deployments/{deployment}/chat/completions?api-version=...</c> (AzureOpenAIClient).
/// Each test scripts its answers in order (JSON answers, raw content, delays, error statuses) and
/// reads back every request it received, with its path, query and headers; a request to any other
/// path is recorded too and gets a 404. An unscripted request gets a 500, so a test that forgets to
/// script fails visibly, unless <see cref="SetDefaultAnswer"/> gave an answer for every request (for
/// end-to-end runs where other users' prompts are generated too).
/// </summary>
public sealed class FakeChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Scripted> _script = new();
    private readonly ConcurrentQueue<FakeChatRequest> _requests = new();
    private int _ids;
    private volatile Scripted? _default;

    private FakeChatServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The base URL OpenAI-style clients use (OpenAI, Ollama, vLLM).</summary>
    public Uri V1 => new(BaseAddress, "/v1/");

    /// <summary>Where an Azure OpenAI resource root would be: AzureOpenAIClient adds openai/deployments/... itself.</summary>
    public Uri AzureEndpoint => new(BaseAddress, "/");

    public IReadOnlyList<FakeChatRequest> Requests => _requests.ToArray();

    public static async Task<FakeChatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeChatServer(app);
        app.MapPost("/{**path}", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    /// <summary>A well-formed structured answer: the content is the JSON object {title, message}.</summary>
    public void EnqueueAnswer(string title, string message, string model = "fake-model", int promptTokens = 120, int completionTokens = 30) =>
        EnqueueContent(JsonSerializer.Serialize(new { title, message }), model, promptTokens, completionTokens);

    /// <summary>Any content, verbatim: prose, markdown, broken JSON.</summary>
    public void EnqueueContent(string content, string model = "fake-model", int promptTokens = 120, int completionTokens = 30) =>
        _script.Enqueue(new Scripted(TimeSpan.Zero, 200, null, content, model, promptTokens, completionTokens));

    /// <summary>The answer to every request once the script is used up.</summary>
    public void SetDefaultAnswer(string title, string message) =>
        _default = new Scripted(TimeSpan.Zero, 200, null, JsonSerializer.Serialize(new { title, message }), "fake-model", 120, 30);

    /// <summary>Waits before answering (or until the client gives up).</summary>
    public void EnqueueDelayedAnswer(TimeSpan delay, string title, string message) =>
        _script.Enqueue(new Scripted(delay, 200, null, JsonSerializer.Serialize(new { title, message }), "fake-model", 120, 30));

    /// <summary>An error status with an OpenAI-shaped error body, such as 429 or 500.</summary>
    public void EnqueueStatus(int status, string? errorMessage = null) =>
        _script.Enqueue(new Scripted(TimeSpan.Zero, status,
            JsonSerializer.Serialize(new { error = new { message = errorMessage ?? $"scripted {status}", type = status == 429 ? "rate_limit_exceeded" : "server_error", code = status.ToString() } }),
            null, "", 0, 0));

    /// <summary>How a secret appears in <see cref="FakeChatRequest.Headers"/>: a short hash, never the value.</summary>
    public static string Fingerprint(string secret) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..16];

    private async Task HandleAsync(HttpContext http)
    {
        using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        var path = http.Request.Path.Value!;
        _requests.Enqueue(new FakeChatRequest(path, http.Request.QueryString.Value ?? "", RedactedHeaders(http.Request.Headers), body.RootElement.Clone()));
        if (!path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            // A client that builds a wrong URL must fail, and its test can show what it sent.
            http.Response.StatusCode = 404;
            return;
        }

        if (!_script.TryDequeue(out var next))
            next = _default ?? new Scripted(TimeSpan.Zero, 500, """{"error":{"message":"FakeChatServer: nothing scripted for this request","type":"server_error"}}""", null, "", 0, 0);
        if (next.Delay > TimeSpan.Zero)
        {
            try { await Task.Delay(next.Delay, http.RequestAborted); }
            catch (OperationCanceledException) { return; } // the client gave up: nothing to answer
        }

        http.Response.StatusCode = next.Status;
        http.Response.ContentType = "application/json";
        if (next.ErrorBody is not null)
        {
            if (next.Status == 429) http.Response.Headers["retry-after"] = "1";
            await http.Response.WriteAsync(next.ErrorBody);
            return;
        }
        var id = Interlocked.Increment(ref _ids);
        await http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            id = $"chatcmpl-fake-{id}",
            @object = "chat.completion",
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            model = next.Model,
            choices = new[]
            {
                new { index = 0, message = new { role = "assistant", content = next.Content, refusal = (string?)null }, finish_reason = "stop", logprobs = (object?)null },
            },
            usage = new { prompt_tokens = next.PromptTokens, completion_tokens = next.CompletionTokens, total_tokens = next.PromptTokens + next.CompletionTokens },
        }));
    }

    private static Dictionary<string, string> RedactedHeaders(IHeaderDictionary headers)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            var text = value.ToString();
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                var space = text.IndexOf(' ');
                text = space > 0 ? $"{text[..space]} {Fingerprint(text[(space + 1)..])}" : Fingerprint(text);
            }
            else if (name.Equals("api-key", StringComparison.OrdinalIgnoreCase))
                text = Fingerprint(text);
            result[name] = text;
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(timeout.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }

    private sealed record Scripted(TimeSpan Delay, int Status, string? ErrorBody, string? Content, string Model, int PromptTokens, int CompletionTokens);
}

/// <summary>
/// One request as the fake server saw it: <see cref="Query"/> is the raw query string ("" or
/// "?api-version=..."); secrets in headers are fingerprints (<see cref="FakeChatServer.Fingerprint"/>).
/// </summary>
public sealed record FakeChatRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers, JsonElement Body)
{
    /// <summary>The text of the one message with this role (content as a string or as text parts).</summary>
    public string Message(string role)
    {
        var content = Body.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("role").GetString() == role).GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }

    public string System => Message("system");
    public string User => Message("user");
}
