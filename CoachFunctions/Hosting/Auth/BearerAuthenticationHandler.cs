using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CoachFunctions.Hosting.Auth;

/// <summary>Authenticates <c>Authorization: Bearer</c> user tokens; failures become 401 problem details.</summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, UserTokenValidator tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (string.IsNullOrEmpty(Request.Headers.Authorization.ToString())) return AuthenticateResult.NoResult();
        if (BearerToken.From(Request) is not { } token) return AuthenticateResult.Fail("Not a bearer token.");
        var identity = await tokens.ValidateAsync(token, Context.RequestAborted);
        return identity is null
            ? AuthenticateResult.Fail("The bearer token is invalid or expired.")
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(statusCode: 401, title: "Authentication required.",
            detail: "Send a valid bearer token in the Authorization header.").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await Results.Problem(statusCode: 403, title: "Forbidden.", detail: "This route needs the admin role.").ExecuteAsync(Context);
    }
}
