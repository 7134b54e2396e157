using System.Data.Common;
using System.Globalization;
using Azure.Core;
using Azure.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachFunctions.SignalR;

/// <summary>
/// An Azure SignalR Service endpoint and how to authenticate to it. From a connection string
/// (<c>AzureSignalRConnectionString</c> = <c>Endpoint=...;AccessKey=...;Version=1.0;</c>, optional
/// <c>Port=</c>): tokens are minted here with the access key. Identity-based
/// (<c>AzureSignalRConnectionString__serviceUri</c>, optional <c>__clientId</c> for a user-assigned
/// identity): an Entra ID token for the REST API, and client tokens asked of the service.
/// </summary>
public sealed class SignalRServiceEndpoint
{
    public const string SettingName = "AzureSignalRConnectionString";
    public const string UserIdClaim = "asrs.s.uid";
    public const string EntraScope = "https://signalr.azure.com/.default";
    public static readonly TimeSpan ClientTokenLifetime = TimeSpan.FromHours(1);

    /// <summary>REST tokens authorize one request: a few minutes is plenty and limits what a leaked one is worth.</summary>
    public static readonly TimeSpan RestTokenLifetime = TimeSpan.FromMinutes(5);

    private readonly JsonWebTokenHandler _handler = new();
    private readonly SymmetricSecurityKey? _key;

    public SignalRServiceEndpoint(string connectionString)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!parts.TryGetValue("Endpoint", out var endpoint) || !parts.TryGetValue("AccessKey", out var accessKey))
            throw new InvalidOperationException($"{SettingName} must have Endpoint and AccessKey.");
        var uri = new UriBuilder((string)endpoint);
        if (parts.TryGetValue("Port", out var port)) uri.Port = int.Parse((string)port, CultureInfo.InvariantCulture);
        Endpoint = uri.Uri.GetLeftPart(UriPartial.Authority);
        _key = new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes((string)accessKey));
    }

    public SignalRServiceEndpoint(Uri serviceUri, TokenCredential credential)
    {
        Endpoint = serviceUri.GetLeftPart(UriPartial.Authority);
        Credential = credential;
    }

    /// <summary>The service root, without a trailing slash.</summary>
    public string Endpoint { get; }

    /// <summary>Set for identity-based endpoints: there is no access key to sign with.</summary>
    public TokenCredential? Credential { get; }

    public bool HasAccessKey => _key is not null;

    public string ClientUrl(string hub) => $"{Endpoint}/client/?hub={hub.ToLowerInvariant()}";

    /// <summary>The client access token negotiate hands out: the user bound in, for this hub's client URL.</summary>
    public string MintClientToken(string hub, string userId, DateTimeOffset now) => Mint(ClientUrl(hub), now, ClientTokenLifetime,
        new Dictionary<string, object> { [UserIdClaim] = userId, ["nameid"] = userId });

    /// <summary>The bearer token for one REST call: <paramref name="audience"/> is its URL without the query.</summary>
    public async ValueTask<string> RestTokenAsync(string audience, DateTimeOffset now, CancellationToken ct)
    {
        if (Credential is not null) return (await Credential.GetTokenAsync(new TokenRequestContext([EntraScope]), ct)).Token;
        return Mint(audience.TrimEnd('/'), now, RestTokenLifetime, new Dictionary<string, object>());
    }

    private string Mint(string audience, DateTimeOffset now, TimeSpan lifetime, Dictionary<string, object> claims) => _handler.CreateToken(new SecurityTokenDescriptor
    {
        Audience = audience,
        Claims = claims,
        IssuedAt = now.UtcDateTime,
        NotBefore = now.UtcDateTime,
        Expires = now.Add(lifetime).UtcDateTime,
        SigningCredentials = new SigningCredentials(_key ?? throw new InvalidOperationException("This endpoint has no access key."), SecurityAlgorithms.HmacSha256),
    });

    /// <summary>The endpoint the settings describe, or null when real-time delivery is not configured.</summary>
    public static SignalRServiceEndpoint? FromConfiguration(IConfiguration configuration)
    {
        if (configuration[SettingName] is { Length: > 0 } connectionString) return new SignalRServiceEndpoint(connectionString);
        if (configuration[$"{SettingName}:serviceUri"] is not { Length: > 0 } serviceUri) return null;
        if (!Uri.TryCreate(serviceUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            throw new InvalidOperationException($"{SettingName}__serviceUri must be the service's https URL.");
        var clientId = configuration[$"{SettingName}:clientId"];
        TokenCredential credential = clientId is null
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        return new SignalRServiceEndpoint(uri, credential);
    }
}
