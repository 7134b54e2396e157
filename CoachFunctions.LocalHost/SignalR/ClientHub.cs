using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CoachFunctions.LocalHost.SignalR;

/// <summary>
/// The Service's client endpoint (/client?hub=NAME). In Serverless mode clients only listen: the hub
/// has no methods, and an invocation closes the connection (see <see cref="ServerlessHubProtocol"/>).
/// </summary>
[Authorize(AuthenticationSchemes = ClientTokenAuthenticationHandler.SchemeName)]
internal sealed class ClientHub(ClientConnections connections) : Hub
{
    public const string Path = "/client";

    public override async Task OnConnectedAsync()
    {
        var hub = Context.User?.FindFirst(ClientTokenAuthenticationHandler.HubClaim)?.Value
            ?? throw new HubException("No hub.");
        connections.Add(Context.ConnectionId, hub, Context.UserIdentifier is { } key ? key[(key.IndexOf('\u001f') + 1)..] : null);
        await Groups.AddToGroupAsync(Context.ConnectionId, HubNames.AllKey(hub), Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>Routes Clients.User by hub and user id, the user id from the client token.</summary>
internal sealed class ClientUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection)
    {
        var hub = connection.User.FindFirst(ClientTokenAuthenticationHandler.HubClaim)?.Value;
        var user = connection.User.Identity is System.Security.Claims.ClaimsIdentity identity ? ServiceTokens.UserId(identity) : null;
        return hub is null || user is null ? null : HubNames.UserKey(hub, user);
    }
}
