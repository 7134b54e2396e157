using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CoachFunctions.Hosting.Auth;

/// <summary>
/// Validates RS256 user tokens against an OpenID Connect issuer's metadata: issuer, audience,
/// lifetime and a signature by one of the JWKS keys. A ConfigurationManager caches the metadata
/// and keys and refreshes them (every 12 h, and at most every 5 min when a token names an unknown
/// key, which is how a key rotation shows up).
/// </summary>
public sealed class OidcTokenValidator
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly OidcOptions _options;
    private readonly IReadOnlyList<string> _audiences;
    private readonly ILogger _logger;

    public OidcTokenValidator(OidcOptions options, ILogger logger, HttpClient? http = null)
    {
        _options = options;
        _logger = logger;
        options.Validate();
        _audiences = options.Audiences();
        var metadata = options.MetadataUri();
        // HTTPS always, except an issuer on this machine (tests, a local identity server).
        var retriever = new HttpDocumentRetriever(http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(10) }) { RequireHttps = !metadata.IsLoopback };
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(metadata.AbsoluteUri, new OpenIdConnectConfigurationRetriever(), retriever);
    }

    /// <summary>The identity with the user id in <c>sub</c> and roles in <c>roles</c>; null when the token is not valid.</summary>
    public async Task<ClaimsIdentity?> ValidateAsync(string token, CancellationToken ct)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _metadata.GetConfigurationAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _logger.LogError(e, "OpenID Connect metadata could not be read from {Address}", _options.MetadataUri());
            return null;
        }

        var result = await _handler.ValidateTokenAsync(token, Parameters(configuration));
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Perhaps the issuer rotated its keys: fetch them again (rate-limited by the manager) and retry once.
            _metadata.RequestRefresh();
            configuration = await _metadata.GetConfigurationAsync(ct);
            result = await _handler.ValidateTokenAsync(token, Parameters(configuration));
        }
        if (!result.IsValid)
        {
            _logger.LogDebug("Bearer token rejected: {Reason}", result.Exception?.GetType().Name);
            return null;
        }

        var subject = result.ClaimsIdentity.FindFirst(_options.SubjectClaim)?.Value;
        if (subject is null || !UserTokens.IsValidUserId(subject)) return null;
        // The app reads the user id from "sub" everywhere; with SubjectClaim=oid that claim carries the oid.
        var claims = result.ClaimsIdentity.Claims.Where(c => c.Type != "sub").Append(new Claim("sub", subject));
        return new ClaimsIdentity(claims, "Bearer", "sub", "roles");
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration) => new()
    {
        ValidIssuer = string.IsNullOrWhiteSpace(_options.Issuer) ? configuration.Issuer : _options.Issuer,
        ValidAudiences = _audiences,
        IssuerSigningKeys = configuration.SigningKeys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateIssuerSigningKey = true,
        NameClaimType = "sub",
        RoleClaimType = "roles",
        ClockSkew = TimeSpan.FromMinutes(1),
    };
}
