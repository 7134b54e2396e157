using System.Data.Common;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachFunctions.Hosting.SignalR;

/// <summary>
/// A SignalR Service endpoint from its connection string (<c>Endpoint=...;AccessKey=...;Version=1.0;</c>):
/// the client URL for a hub and the client access tokens, minted exactly as the Service expects
/// (HS256 with the access key, audience = the client URL, user id in <c>asrs.s.uid</c> and <c>nameid</c>).
/// The local host's hub validates the same tokens.
/// </summary>
public sealed class SignalRServiceEndpoint
{
    public const string SettingName = "AzureSignalRConnectionString";
    public const string UserIdClaim = "asrs.s.uid";
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private readonly JsonWebTokenHandler _handler = new();
    private readonly SymmetricSecurityKey _key;

    public SignalRServiceEndpoint(string connectionString)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!parts.TryGetValue("Endpoint", out var endpoint) || !parts.TryGetValue("AccessKey", out var accessKey))
            throw new InvalidOperationException($"{SettingName} must have Endpoint and AccessKey.");
        var uri = new UriBuilder((string)endpoint);
        if (parts.TryGetValue("Port", out var port)) uri.Port = int.Parse((string)port);
        Endpoint = uri.Uri.GetLeftPart(UriPartial.Authority);
        _key = new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes((string)accessKey));
    }

    /// <summary>The service root, without a trailing slash.</summary>
    public string Endpoint { get; }

    public string ClientUrl(string hub) => $"{Endpoint}/client/?hub={hub.ToLowerInvariant()}";

    public string MintClientToken(string hub, string userId, DateTimeOffset now) => _handler.CreateToken(new SecurityTokenDescriptor
    {
        Audience = ClientUrl(hub),
        Claims = new Dictionary<string, object> { [UserIdClaim] = userId, ["nameid"] = userId },
        IssuedAt = now.UtcDateTime,
        NotBefore = now.UtcDateTime,
        Expires = now.Add(TokenLifetime).UtcDateTime,
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
    });

    public async Task<ClaimsIdentity?> ValidateClientTokenAsync(string token, string hub)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidAudience = ClientUrl(hub),
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            NameClaimType = UserIdClaim,
            ClockSkew = TimeSpan.FromMinutes(1),
        });
        return result.IsValid && result.ClaimsIdentity.FindFirst(UserIdClaim) is not null ? result.ClaimsIdentity : null;
    }
}
