using System.Security.Claims;
using System.Text.Encodings.Web;
using CoachFunctions.Hosting.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CoachFunctions.Hosting.SignalR;

/// <summary>
/// The local hub accepts only access tokens minted by negotiate for this hub: bearer header for
/// negotiate and long polling, <c>access_token</c> query parameter for WebSockets, as with the Service.
/// </summary>
public sealed class ServiceTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, SignalRServiceEndpoint endpoint)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SignalRService";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Request.Query["access_token"].ToString() is { Length: > 0 } fromQuery ? fromQuery : BearerToken.From(Request);
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();

        var hub = Request.Query["hub"].ToString();
        if (!string.Equals(hub, CoachingHub.Name, StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail($"Unknown hub '{hub}'.");
        var identity = await endpoint.ValidateClientTokenAsync(token, hub);
        return identity is null
            ? AuthenticateResult.Fail("The access token was not minted by negotiate for this hub, or it expired.")
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
