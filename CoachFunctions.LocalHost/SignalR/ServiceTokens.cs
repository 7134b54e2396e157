using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachFunctions.LocalHost.SignalR;

/// <summary>
/// The SignalR Service's access-key tokens: HS256 with the key's UTF-8 bytes, an exact audience and
/// an expiry. Client tokens carry the user id in nameid (or asrs.s.uid, which SDKs also set).
/// </summary>
internal sealed class ServiceTokens(SignalRServiceSettings service, TimeProvider time)
{
    public const string UserIdClaim = "asrs.s.uid";
    public const string NameIdClaim = "nameid";

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SymmetricSecurityKey _key = new(Encoding.UTF8.GetBytes(service.AccessKey));

    /// <summary>The identity of a client token for <paramref name="hub"/>, or null.</summary>
    public Task<ClaimsIdentity?> ValidateClientAsync(string token, string hub) => ValidateAsync(token, [service.ClientUrl(hub)]);

    /// <summary>True when a REST call's token is signed with the key, for one of the audiences, and not expired.</summary>
    public async Task<bool> ValidateRestAsync(string token, IReadOnlyList<string> audiences) => await ValidateAsync(token, audiences) is not null;

    public static string? UserId(ClaimsIdentity identity) =>
        identity.FindFirst(NameIdClaim)?.Value ?? identity.FindFirst(UserIdClaim)?.Value ?? identity.FindFirst(ClaimTypes.NameIdentifier)?.Value;

    /// <summary>A client token as the Service's :generateToken mints it.</summary>
    public string MintClient(string hub, string? userId, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        var claims = new Dictionary<string, object>();
        if (!string.IsNullOrEmpty(userId))
        {
            claims[NameIdClaim] = userId;
            claims[UserIdClaim] = userId;
        }
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Audience = service.ClientUrl(hub),
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    private async Task<ClaimsIdentity?> ValidateAsync(string token, IReadOnlyList<string> audiences)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidAudiences = audiences,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } exp && exp > time.GetUtcNow().UtcDateTime && (notBefore is not { } nbf || nbf <= time.GetUtcNow().UtcDateTime.AddSeconds(5)),
        });
        return result.IsValid ? result.ClaimsIdentity : null;
    }
}
