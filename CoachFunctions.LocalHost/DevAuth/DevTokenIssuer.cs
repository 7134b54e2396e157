using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CoachFunctions.LocalHost.Settings;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachFunctions.LocalHost.DevAuth;

/// <summary>
/// Development sign-in tokens the app accepts as its own: HS256 with Auth:SigningKey (generated per
/// run when unset, and then given to the worker), issuer Auth:Issuer, audience Auth:Audience, the
/// user in sub and the roles in "roles" (what the app validates) and "role".
/// </summary>
internal sealed partial class DevTokenIssuer
{
    public const string SigningKeySetting = "Auth:SigningKey";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly JsonWebTokenHandler _handler = new();
    private readonly SymmetricSecurityKey _key;
    private readonly TimeProvider _time;

    public DevTokenIssuer(AppSettings settings, TimeProvider time)
    {
        _time = time;
        Issuer = settings.Get("Auth:Issuer") is { Length: > 0 } issuer ? issuer : "coachfunctions";
        Audience = settings.Get("Auth:Audience") is { Length: > 0 } audience ? audience : "coachfunctions-api";
        _key = new SymmetricSecurityKey(ReadOrCreateKey(settings));
    }

    public string Issuer { get; }

    public string Audience { get; }

    /// <summary>The settings' key, or a new random one written into the settings so the worker validates with it.</summary>
    private static byte[] ReadOrCreateKey(AppSettings settings)
    {
        if (settings.Get(SigningKeySetting) is { Length: > 0 } configured && !configured.Contains('<'))
        {
            byte[] key;
            try { key = Convert.FromBase64String(configured); }
            catch (FormatException) { throw new InvalidOperationException("Auth__SigningKey must be base64."); }
            if (key.Length < 32) throw new InvalidOperationException("Auth__SigningKey must be at least 32 bytes.");
            return key;
        }
        var generated = RandomNumberGenerator.GetBytes(32);
        settings.Set(SigningKeySetting, Convert.ToBase64String(generated));
        return generated;
    }

    public (string Token, DateTimeOffset ExpiresAt) Mint(string userId, IReadOnlyList<string> roles)
    {
        var now = _time.GetUtcNow();
        var expires = now.Add(Lifetime);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = new Dictionary<string, object> { ["sub"] = userId, ["roles"] = roles.ToArray(), ["role"] = roles.ToArray() },
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    public static bool IsValidUserId(string? userId) => userId is not null && UserIdPattern().IsMatch(userId);

    public static bool IsValidRole(string? role) => role is not null && RolePattern().IsMatch(role);

    [GeneratedRegex("^[A-Za-z0-9_.@-]{1,64}$")]
    private static partial Regex UserIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex RolePattern();
}
