using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachFunctions.LocalHost.Tests;

/// <summary>Tokens as the app (or the Service SDKs) mint them from an access key.</summary>
internal static class ServiceTokenMinter
{
    public static string Mint(string accessKey, string audience, DateTimeOffset expires, IDictionary<string, object>? claims = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Audience = audience,
            Claims = claims ?? new Dictionary<string, object>(),
            IssuedAt = expires.AddHours(-2).UtcDateTime,
            NotBefore = expires.AddHours(-2).UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(accessKey)), SecurityAlgorithms.HmacSha256),
        });
}
