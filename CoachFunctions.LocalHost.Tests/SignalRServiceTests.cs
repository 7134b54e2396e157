using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace CoachFunctions.LocalHost.Tests;

/// <summary>The SignalR Service stand-in through real Kestrel and the real .NET SignalR client.</summary>
public sealed class SignalRServiceTests : IAsyncLifetime
{
    private const string Hub = "coaching";
    private FunctionsLocalHost _host = null!;
    private HttpClient _client = null!;
    private string _endpoint = "";
    private string _key = "";

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync();
        (_endpoint, _key) = TestHost.SignalR(_host);
        _client = new HttpClient { BaseAddress = _host.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<HubConnection> ConnectAsync(string userId, string? token = null)
    {
        var clientUrl = $"{_endpoint}/client/?hub={Hub}";
        token ??= ServiceTokenMinter.Mint(_key, clientUrl, DateTimeOffset.UtcNow.AddHours(1), new Dictionary<string, object> { ["nameid"] = userId });
        var connection = new HubConnectionBuilder().WithUrl(clientUrl, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token)).Build();
        await connection.StartAsync();
        return connection;
    }

    private HttpRequestMessage Rest(HttpMethod method, string path, object? body = null, string? key = null, string? audience = null, DateTimeOffset? expires = null)
    {
        var request = new HttpRequestMessage(method, $"{_endpoint}{path}?api-version=2022-06-01");
        var token = ServiceTokenMinter.Mint(key ?? _key, audience ?? $"{_endpoint}{path}", expires ?? DateTimeOffset.UtcNow.AddMinutes(5));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    [Fact]
    public async Task A_user_targeted_send_reaches_that_user_only()
    {
        await using var alice = await ConnectAsync("alice");
        await using var bob = await ConnectAsync("bob");
        var aliceGot = new TaskCompletionSource<JsonElement>();
        var bobGot = new TaskCompletionSource<JsonElement>();
        alice.On<JsonElement>("coachingPrompt", p => aliceGot.TrySetResult(p));
        bob.On<JsonElement>("coachingPrompt", p => bobGot.TrySetResult(p));

        var response = await _client.SendAsync(Rest(HttpMethod.Post, $"/api/hubs/{Hub}/users/alice/:send", new { target = "coachingPrompt", arguments = new object[] { new { promptId = "p1" } } }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var prompt = await aliceGot.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("p1", prompt.GetProperty("promptId").GetString());
        await Task.Delay(300);
        Assert.False(bobGot.Task.IsCompleted);
    }

    [Fact]
    public async Task A_broadcast_reaches_everyone_on_the_hub()
    {
        await using var alice = await ConnectAsync("alice");
        var got = new TaskCompletionSource<string>();
        alice.On<string>("notice", s => got.TrySetResult(s));
        var response = await _client.SendAsync(Rest(HttpMethod.Post, $"/api/hubs/{Hub}/:send", new { target = "notice", arguments = new[] { "hello" } }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("hello", await got.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Head_user_says_whether_the_user_is_connected()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(Rest(HttpMethod.Head, $"/api/hubs/{Hub}/users/carol"))).StatusCode);
        await using var carol = await ConnectAsync("carol");
        Assert.Equal(HttpStatusCode.OK, await UserStatusOnceConnectedAsync("carol"));
    }

    [Fact]
    public async Task Rest_calls_with_a_wrong_key_audience_or_expiry_are_401()
    {
        var path = $"/api/hubs/{Hub}/users/alice/:send";
        var body = new { target = "x", arguments = Array.Empty<object>() };
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(Rest(HttpMethod.Post, path, body, key: "not-the-key-not-the-key-not-the-key"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(Rest(HttpMethod.Post, path, body, audience: $"{_endpoint}/api/hubs/{Hub}/:send"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(Rest(HttpMethod.Post, path, body, expires: DateTimeOffset.UtcNow.AddMinutes(-1)))).StatusCode);
        var anonymous = new HttpRequestMessage(HttpMethod.Post, $"{_endpoint}{path}") { Content = JsonContent.Create(body) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(anonymous)).StatusCode);
    }

    [Fact]
    public async Task A_body_over_1_MB_is_413()
    {
        var path = $"/api/hubs/{Hub}/:send";
        var token = ServiceTokenMinter.Mint(_key, $"{_endpoint}{path}", DateTimeOffset.UtcNow.AddMinutes(5));
        var answer = await RawHttp.SendAsync(_host.BaseAddress,
            $"POST {path}?api-version=2022-06-01 HTTP/1.1\nHost: {_host.BaseAddress.Authority}\nAuthorization: Bearer {token}\nContent-Type: application/json\nContent-Length: {1024 * 1024 + 1}\n\n");
        Assert.Equal(413, answer.Status);
    }

    [Fact]
    public async Task Clients_need_a_token_for_the_exact_hub_url_signed_with_the_key()
    {
        var wrongAudience = ServiceTokenMinter.Mint(_key, $"{_endpoint}/client/?hub=other", DateTimeOffset.UtcNow.AddHours(1), new Dictionary<string, object> { ["nameid"] = "eve" });
        await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync("eve", wrongAudience));
        var wrongKey = ServiceTokenMinter.Mint("another-key-another-key-another-key", $"{_endpoint}/client/?hub={Hub}", DateTimeOffset.UtcNow.AddHours(1));
        await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync("eve", wrongKey));
    }

    [Fact]
    public async Task A_client_that_invokes_a_hub_method_is_disconnected()
    {
        await using var mallory = await ConnectAsync("mallory");
        var closed = new TaskCompletionSource();
        mallory.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => mallory.InvokeAsync("Anything"));
        Assert.True(await Task.WhenAny(closed.Task, Task.Delay(TimeSpan.FromSeconds(10))) == closed.Task, $"{error.GetType()}: {error.Message}");
        Assert.Equal(HubConnectionState.Disconnected, mallory.State);
    }

    [Fact]
    public async Task Generate_token_mints_a_client_token_that_connects()
    {
        var path = $"/api/hubs/{Hub}/:generateToken";
        var request = Rest(HttpMethod.Post, path);
        request.RequestUri = new Uri($"{_endpoint}{path}?api-version=2023-07-01&userId=dave&minutesToExpire=5");
        var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        await using var dave = await ConnectAsync("dave", token);
        Assert.Equal(HttpStatusCode.OK, await UserStatusOnceConnectedAsync("dave"));
    }

    /// <summary>
    /// HEAD on a user who just connected. ASP.NET Core SignalR answers the client's handshake before
    /// it runs the hub's OnConnectedAsync, where the stand-in lists the connection, so a client can
    /// be connected a moment before the REST API knows it: ask again for up to 5 s.
    /// </summary>
    private async Task<HttpStatusCode> UserStatusOnceConnectedAsync(string userId)
    {
        var until = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var status = (await _client.SendAsync(Rest(HttpMethod.Head, $"/api/hubs/{Hub}/users/{userId}"))).StatusCode;
            if (status == HttpStatusCode.OK || DateTime.UtcNow > until) return status;
            await Task.Delay(20);
        }
    }
}
