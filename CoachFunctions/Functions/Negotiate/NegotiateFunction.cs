using CoachFunctions.Api;
using CoachFunctions.SignalR;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.Negotiate;

/// <summary>What a SignalR client connects with: the hub's client URL and an access token.</summary>
public sealed record NegotiateResponse(string Url, string AccessToken);

/// <summary>
/// SignalR connection info for the caller: the hub URL and an access token with the caller's id
/// bound in, so the connection can only ever receive that user's messages.
/// </summary>
public sealed class NegotiateFunction(IServiceProvider services)
{
    [Function("Negotiate")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "negotiate")] HttpRequest req, CancellationToken ct)
    {
        // Optional: without a SignalR setting the rest of the API still works; only real-time delivery is off.
        if (services.GetService<SignalRServiceEndpoint>() is not { } endpoint)
            return Problems.Unavailable($"Real-time delivery is not configured: set {SignalRServiceEndpoint.SettingName}.");
        var token = await services.GetRequiredService<SignalRRestClient>().ClientTokenAsync(CoachingHub.Name, req.HttpContext.User.Id(), ct);
        return Results.Ok(new NegotiateResponse(endpoint.ClientUrl(CoachingHub.Name), token));
    }
}
