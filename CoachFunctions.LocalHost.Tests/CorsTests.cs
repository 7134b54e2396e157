using System.Net;
using CoachFunctions.LocalHost.Settings;

namespace CoachFunctions.LocalHost.Tests;

/// <summary>
/// CORS as func start applies local.settings.json's <c>Host.CORS</c> / <c>Host.CORSCredentials</c>: the
/// listed origins only, any header and method, preflights answered by the host without reaching the worker.
/// </summary>
public sealed class CorsTests : IAsyncLifetime
{
    private const string WebOrigin = "http://127.0.0.1:5500";
    private const string OtherListed = "https://coach.example";
    private const string Stranger = "http://evil.example";

    private FunctionsLocalHost _host = null!;
    private FakeWorker _worker = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        (_host, _worker) = await StartAsync(localSettingsJson: $$"""
            { "IsEncrypted": false, "Values": {}, "Host": { "CORS": "{{WebOrigin}}, {{OtherListed}}/", "CORSCredentials": false } }
            """);
        _client = new HttpClient { BaseAddress = _host.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _worker.DisposeAsync();
    }

    private static async Task<(FunctionsLocalHost, FakeWorker)> StartAsync(string? localSettingsJson = null, string? cors = null, bool? corsCredentials = null)
    {
        var host = await TestHost.StartAsync(localSettingsJson: localSettingsJson, cors: cors, corsCredentials: corsCredentials);
        var worker = await FakeWorker.ConnectAsync(host.GrpcUri,
        [
            FakeWorker.Function("ListPrompts",
                """{"name":"req","direction":"In","type":"httpTrigger","methods":["get"],"route":"prompts"}""",
                """{"name":"$return","direction":"Out","type":"http"}"""),
            FakeWorker.Function("Respond",
                """{"name":"req","direction":"In","type":"httpTrigger","methods":["post"],"route":"prompts/{id}/respond"}""",
                """{"name":"$return","direction":"Out","type":"http"}"""),
        ]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.WaitForWorkerAsync(timeout.Token);
        return (host, worker);
    }

    private static HttpRequestMessage Get(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Authorization", "Bearer x");
        return request;
    }

    private static HttpRequestMessage Preflight(string path, string origin, string method = "POST", string headers = "authorization,content-type,idempotency-key")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Theory]
    [InlineData(WebOrigin)]
    [InlineData(OtherListed)]
    public async Task A_listed_origin_gets_its_own_origin_back_without_credentials(string origin)
    {
        var response = await _client.SendAsync(Get("/api/prompts", origin));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(origin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        Assert.Contains("Origin", Header(response, "Vary") ?? "");
    }

    [Fact]
    public async Task An_origin_not_listed_gets_no_cors_headers()
    {
        var response = await _client.SendAsync(Get("/api/prompts", Stranger));
        // Served (CORS is the browser's to enforce), but nothing that lets a page on that origin read it.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_refused_origin_is_not_a_prefix_or_scheme_match()
    {
        foreach (var origin in new[] { "http://127.0.0.1:55001", "https://127.0.0.1:5500", "http://127.0.0.1:5500.evil.example", "null" })
        {
            var response = await _client.SendAsync(Get("/api/prompts", origin));
            Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task A_preflight_from_a_listed_origin_allows_the_clients_headers_and_never_reaches_the_worker()
    {
        var before = _worker.Invocations.Count;
        var response = await _client.SendAsync(Preflight("/api/prompts/p-1/respond", WebOrigin));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(WebOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("POST", Header(response, "Access-Control-Allow-Methods"));
        var allowed = (Header(response, "Access-Control-Allow-Headers") ?? "").Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("authorization", allowed, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("content-type", allowed, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("idempotency-key", allowed, StringComparer.OrdinalIgnoreCase);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        Assert.Equal(before, _worker.Invocations.Count);
    }

    [Fact]
    public async Task A_preflight_for_the_signalr_client_endpoint_is_answered_too()
    {
        // The browser negotiates with the hub URL negotiate hands out: the SignalR stand-in on this host.
        var response = await _client.SendAsync(Preflight("/client/negotiate?hub=coach&negotiateVersion=1", WebOrigin, headers: "authorization,x-requested-with,x-signalr-user-agent"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(WebOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("x-signalr-user-agent", Header(response, "Access-Control-Allow-Headers") ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_preflight_from_an_origin_not_listed_allows_nothing()
    {
        var response = await _client.SendAsync(Preflight("/api/prompts/p-1/respond", Stranger));
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Without_host_cors_no_origin_gets_cors_headers_and_preflights_are_not_answered()
    {
        var (host, worker) = await StartAsync();
        await using var _ = host;
        await using var __ = worker;
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var get = await client.SendAsync(Get("/api/prompts", WebOrigin));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Null(Header(get, "Access-Control-Allow-Origin"));
        var preflight = await client.SendAsync(Preflight("/api/prompts/p-1/respond", WebOrigin));
        Assert.NotEqual(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.DoesNotContain(preflight.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_options_override_local_settings_as_the_cors_switches_do()
    {
        var (host, worker) = await StartAsync(
            localSettingsJson: $$"""{ "Values": {}, "Host": { "CORS": "{{WebOrigin}}" } }""",
            cors: OtherListed, corsCredentials: true);
        await using var _ = host;
        await using var __ = worker;
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Null(Header(await client.SendAsync(Get("/api/prompts", WebOrigin)), "Access-Control-Allow-Origin"));
        var listed = await client.SendAsync(Get("/api/prompts", OtherListed));
        Assert.Equal(OtherListed, Header(listed, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(listed, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public void The_list_is_split_on_commas_and_any_origin_cannot_carry_credentials()
    {
        Assert.Equal([WebOrigin, OtherListed], HostCors.Parse($" {WebOrigin} ,, {OtherListed}/ ,{WebOrigin}", credentials: false).Origins);
        Assert.False(HostCors.Parse("", credentials: false).Enabled);
        Assert.False(HostCors.Parse(null, credentials: true).Enabled);
        Assert.Throws<FormatException>(() => HostCors.Parse("*", credentials: true));
    }
}
