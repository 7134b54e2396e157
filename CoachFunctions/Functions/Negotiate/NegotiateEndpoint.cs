using CoachFunctions.Api;
using CoachFunctions.Hosting.SignalR;

namespace CoachFunctions.Functions.Negotiate;

/// <summary>
/// SignalR connection info for the caller: the hub URL and an access token with the caller's id
/// bound in, so the connection can only ever receive that user's messages.
/// </summary>
public static class NegotiateEndpoint
{
    public static void Map(IEndpointRouteBuilder api) => api.MapPost("/negotiate", (HttpContext http, IServiceProvider services, TimeProvider time) =>
    {
        var endpoint = services.GetService<SignalRServiceEndpoint>();
        if (endpoint is null) return Problems.Unavailable($"Real-time delivery is not configured: set {SignalRServiceEndpoint.SettingName}.");
        var userId = http.User.Id();
        return Results.Ok(new NegotiateResponse(endpoint.ClientUrl(CoachingHub.Name), endpoint.MintClientToken(CoachingHub.Name, userId, time.GetUtcNow())));
    }).WithName("Negotiate");
}

public sealed record NegotiateResponse(string Url, string AccessToken);
