using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachFunctions.Hosting.Auth;

/// <summary>
/// The one place user bearer tokens are checked: HS256 tokens by the app's own key (the
/// development sign-in, or Auth__SigningKey), everything else by the OpenID Connect issuer. Either
/// may be absent; a token for an absent one is rejected.
/// </summary>
public sealed class UserTokenValidator(UserTokens? symmetric, OidcTokenValidator? oidc)
{
    public async Task<ClaimsIdentity?> ValidateAsync(string token, CancellationToken ct)
    {
        string alg;
        try { alg = new JsonWebToken(token).Alg; }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException) { return null; }

        if (alg == SecurityAlgorithms.HmacSha256) return symmetric is null ? null : await symmetric.ValidateAsync(token);
        return oidc is null ? null : await oidc.ValidateAsync(token, ct);
    }
}
