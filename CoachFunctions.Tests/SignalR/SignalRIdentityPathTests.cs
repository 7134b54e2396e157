using System.Text.Json;
using Azure.Identity;
using CoachFunctions.SignalR;
using CoachFunctions.Tests.Generation;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace CoachFunctions.Tests.SignalR;

/// <summary>
/// SignalR Service on identity alone, as in Azure (local auth off): the REST send and the client
/// token request (<c>:generateToken</c>, since there is no key to sign client tokens with) carry the
/// identity's Entra token for the SignalR scope. The service is a fake on loopback.
/// </summary>
public sealed class SignalRIdentityPathTests : IAsyncLifetime
{
    private LoopbackServer _service = null!;

    public async Task InitializeAsync() => _service = await LoopbackServer.StartAsync(async http =>
    {
        if (http.Request.Path.Value!.EndsWith("/:generateToken", StringComparison.Ordinal))
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync("""{"token":"token-the-service-made"}""");
            return;
        }
        http.Response.StatusCode = http.Request.Path.Value.EndsWith("/:send", StringComparison.Ordinal) ? 202 : 404;
    });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    private (SignalRRestClient Client, SignalRServiceEndpoint Endpoint, FixedTokenCredential Credential) Client()
    {
        var credential = new FixedTokenCredential("signalr-entra-token");
        var endpoint = new SignalRServiceEndpoint(_service.BaseAddress, credential);
        return (new SignalRRestClient(new HttpClient(), endpoint, TimeProvider.System), endpoint, credential);
    }

    [Fact]
    public async Task A_send_carries_the_identitys_token_for_the_signalr_scope()
    {
        var (client, endpoint, credential) = Client();
        Assert.False(endpoint.HasAccessKey);

        await client.SendToUserAsync(CoachingHub.Name, "alice", CoachingHub.PromptTarget, ["hello"], CancellationToken.None);

        var request = Assert.Single(_service.Requests);
        Assert.Equal(("POST", "/api/hubs/coaching/users/alice/:send", "?api-version=2022-06-01"), (request.Method, request.Path, request.Query));
        Assert.Equal("Bearer signalr-entra-token", request.Headers["Authorization"]);
        Assert.Equal([SignalRServiceEndpoint.EntraScope], credential.Scopes.Distinct());
        Assert.Equal("https://signalr.azure.com/.default", SignalRServiceEndpoint.EntraScope);
    }

    [Fact]
    public async Task Negotiate_asks_the_service_for_the_client_token_with_the_identitys_token()
    {
        var (client, endpoint, credential) = Client();

        var token = await client.ClientTokenAsync(CoachingHub.Name, "alice", CancellationToken.None);

        Assert.Equal("token-the-service-made", token);
        var request = Assert.Single(_service.Requests);
        Assert.Equal(("POST", "/api/hubs/coaching/:generateToken"), (request.Method, request.Path));
        Assert.Equal("?userId=alice&minutesToExpire=60&api-version=2023-07-01", request.Query);
        Assert.Equal("Bearer signalr-entra-token", request.Headers["Authorization"]);
        Assert.Equal([SignalRServiceEndpoint.EntraScope], credential.Scopes.Distinct());
        Assert.Equal(_service.BaseAddress.GetLeftPart(UriPartial.Authority) + "/client/?hub=coaching", endpoint.ClientUrl(CoachingHub.Name));
    }

    [Fact]
    public void The_settings_infra_gives_make_an_identity_based_endpoint_with_the_user_assigned_identity()
    {
        var endpoint = SignalRServiceEndpoint.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureSignalRConnectionString:serviceUri"] = "https://sigr-coach.service.signalr.net",
            ["AzureSignalRConnectionString:clientId"] = "4b1c7c2e-91a6-4ad5-8f5e-2b1d2c0c0de1",
        }).Build())!;

        Assert.False(endpoint.HasAccessKey);
        Assert.IsType<ManagedIdentityCredential>(endpoint.Credential);
        Assert.Equal("https://sigr-coach.service.signalr.net", endpoint.Endpoint);
    }
}
