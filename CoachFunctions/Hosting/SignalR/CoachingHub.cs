using Microsoft.AspNetCore.SignalR;

namespace CoachFunctions.Hosting.SignalR;

/// <summary>
/// The local stand-in for SignalR Service's hub. As in Serverless mode, clients only listen: the
/// hub has no methods, and messages reach users through the output binding.
/// </summary>
public sealed class CoachingHub : Hub
{
    public const string Name = "coaching";
}

/// <summary>Routes <c>Clients.User(id)</c> by the user id bound into the access token at negotiate.</summary>
public sealed class ServiceTokenUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.User.FindFirst(SignalRServiceEndpoint.UserIdClaim)?.Value;
}
