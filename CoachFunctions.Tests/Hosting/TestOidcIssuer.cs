using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Hosting;

/// <summary>
/// A real OpenID Connect issuer on loopback, shaped like Entra ID's v2.0 endpoints: a metadata
/// document and a JWKS with one RSA key, and tokens signed with it (or with any other key).
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestOidcIssuer(WebApplication app, int port)
    {
        _app = app;
        Authority = $"http://127.0.0.1:{port}/tenant-1/v2.0";
    }

    public string Authority { get; }
    public string Issuer => Authority;
    public RSA Key { get; } = RSA.Create(2048);
    public string KeyId { get; } = "key-1";
    public int MetadataRequests;

    public static async Task<TestOidcIssuer> StartAsync()
    {
        var port = Azurite.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var issuer = new TestOidcIssuer(app, port);
        app.MapGet("/tenant-1/v2.0/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref issuer.MetadataRequests);
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer.Issuer,
                ["authorization_endpoint"] = $"http://127.0.0.1:{port}/tenant-1/oauth2/v2.0/authorize",
                ["token_endpoint"] = $"http://127.0.0.1:{port}/tenant-1/oauth2/v2.0/token",
                ["jwks_uri"] = $"http://127.0.0.1:{port}/tenant-1/discovery/v2.0/keys",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
        });
        app.MapGet("/tenant-1/discovery/v2.0/keys", () =>
        {
            var p = issuer.Key.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", kid = issuer.KeyId, alg = "RS256",
                n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } });
        });
        await app.StartAsync();
        return issuer;
    }

    /// <summary>A token as Entra would issue it, with every part overridable to make it wrong.</summary>
    public string Sign(string audience, string subject, string[]? roles = null, string? issuer = null, DateTimeOffset? expires = null,
        RSA? key = null, string? keyId = null, IDictionary<string, object>? extra = null)
    {
        var now = DateTimeOffset.UtcNow;
        var exp = expires ?? now.AddHours(1);
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["tid"] = "tenant-1" };
        if (roles is not null) claims["roles"] = roles;
        foreach (var (k, v) in extra ?? new Dictionary<string, object>()) claims[k] = v;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = exp.AddHours(-1).UtcDateTime,
            NotBefore = exp.AddHours(-1).UtcDateTime,
            Expires = exp.UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? Key) { KeyId = keyId ?? KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>An unsigned token ("alg":"none") with otherwise valid claims.</summary>
    public string Unsigned(string audience, string subject, string[]? roles = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        static string Part(object o) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(o)));
        return Part(new { alg = "none", typ = "JWT" }) + "." +
               Part(new { iss = Issuer, aud = audience, sub = subject, roles, iat = now, nbf = now, exp = now + 3600 }) + ".";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Key.Dispose();
    }
}
