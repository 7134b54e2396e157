using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachFunctions.LocalHost.SignalR;

/// <summary>
/// Client tokens for /client: the bearer header (negotiate, long polling) or the access_token query
/// parameter (WebSockets, server-sent events), valid only for the hub named in ?hub=.
/// </summary>
internal sealed class ClientTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ServiceTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SignalRServiceClient";
    public const string HubClaim = "asrs.hub";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Request.Query["access_token"].ToString();
        if (string.IsNullOrEmpty(token) && Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            token = header["Bearer ".Length..].Trim();
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();

        var hub = Request.Query["hub"].ToString();
        if (!HubNames.IsValid(hub)) return AuthenticateResult.Fail("The hub query parameter is missing or invalid.");

        var identity = await tokens.ValidateClientAsync(token, hub);
        if (identity is null) return AuthenticateResult.Fail("The access token is not valid for this hub.");

        var claims = new ClaimsIdentity(identity.Claims, SchemeName, ServiceTokens.NameIdClaim, "role");
        claims.AddClaim(new Claim(HubClaim, HubNames.Normalize(hub)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(claims), SchemeName));
    }
}
