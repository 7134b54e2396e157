using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachFunctions.Hosting.Auth;

/// <summary>
/// Validates the app's own HS256 user tokens (key <c>Auth__SigningKey</c>), and mints them (tests;
/// the local host mints the development sign-in's tokens with the same key).
/// </summary>
public sealed partial class UserTokens
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly SymmetricSecurityKey _key;
    private readonly TokenValidationParameters _validation;
    private readonly UserTokenOptions _options;

    public UserTokens(UserTokenOptions options)
    {
        _options = options;
        byte[] key;
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            try { key = Convert.FromBase64String(options.SigningKey); }
            catch (FormatException) { throw new InvalidOperationException("Auth__SigningKey must be base64."); }
            if (key.Length < 32) throw new InvalidOperationException("Auth__SigningKey must be at least 32 bytes.");
        }
        else
        {
            throw new InvalidOperationException("Neither Auth__SigningKey nor Auth__Authority (Entra ID) is set: user tokens cannot be validated.");
        }
        _key = new SymmetricSecurityKey(key);
        _validation = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            NameClaimType = "sub",
            RoleClaimType = "roles",
            ClockSkew = TimeSpan.FromMinutes(1),
        };
    }

    public string Mint(string userId, IEnumerable<string> roles, TimeSpan lifetime, DateTimeOffset now)
    {
        var claims = new Dictionary<string, object> { ["sub"] = userId, ["roles"] = roles.ToArray() };
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The principal, or null when the token is invalid or its subject cannot be a storage key.</summary>
    public async Task<ClaimsIdentity?> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _validation);
        if (!result.IsValid) return null;
        var subject = result.ClaimsIdentity.FindFirst("sub")?.Value;
        return subject is not null && IsValidUserId(subject) ? result.ClaimsIdentity : null;
    }

    /// <summary>User ids become table keys: no '/', '\\', '#', '?', control characters or quotes.</summary>
    public static bool IsValidUserId(string userId) => UserIdPattern().IsMatch(userId);

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,128}$")]
    private static partial Regex UserIdPattern();
}
