using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// The official .NET SignalR client, connected the way the web client connects: to the app's
/// <c>/api</c> (its negotiate function answers the service's client URL and an access token, which
/// the client follows), then to the SignalR Service stand-in. Collects every invocation it receives.
/// </summary>
public sealed class SignalRTestClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly Channel<(string Target, JsonElement[] Arguments)> _received = Channel.CreateUnbounded<(string, JsonElement[])>();

    private SignalRTestClient(HubConnection connection) => _connection = connection;

    /// <summary>The client methods the app calls; each is recorded.</summary>
    private static readonly string[] Targets = ["coachingPrompt"];

    public static async Task<SignalRTestClient> ConnectAsync(AppHost host, ApiClient user)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.BaseAddress, "/api"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(user.Token))
            .Build();
        var client = new SignalRTestClient(connection);
        foreach (var target in Targets)
            connection.On<JsonElement>(target, argument => client._received.Writer.TryWrite((target, [argument])));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await connection.StartAsync(timeout.Token);
        return client;
    }

    /// <summary>The status the hub's negotiate answers for the given token: 200 when it accepts it.</summary>
    public static async Task<int> TryConnectStatusAsync(Uri hubUrl, string accessToken)
    {
        using var http = new HttpClient();
        var negotiateUri = new UriBuilder(hubUrl) { Path = hubUrl.AbsolutePath.TrimEnd('/') + "/negotiate", Query = hubUrl.Query.TrimStart('?') + "&negotiateVersion=1" }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Post, negotiateUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
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

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
