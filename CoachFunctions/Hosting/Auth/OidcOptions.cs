namespace CoachFunctions.Hosting.Auth;

/// <summary>
/// Validation of user tokens from an OpenID Connect issuer such as Entra ID (settings in the
/// <c>Auth</c> section). On when <see cref="Authority"/> or <see cref="MetadataAddress"/> is set.
/// </summary>
public sealed class OidcOptions
{
    /// <summary>e.g. https://login.microsoftonline.com/{tenant}/v2.0; metadata is read from its /.well-known/openid-configuration.</summary>
    public string? Authority { get; set; }

    /// <summary>The metadata document's URL, when it is not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Accepted <c>aud</c> values, comma-separated (Entra: the app's client id and/or its App ID URI). Required.</summary>
    public string? Audience { get; set; }

    /// <summary>Overrides the metadata's issuer (e.g. v1.0 tokens, issued by https://sts.windows.net/{tenant}/).</summary>
    public string? Issuer { get; set; }

    /// <summary>The claim that becomes the user id: <c>sub</c> (default) or <c>oid</c> (the same id across Entra apps).</summary>
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>The app role (Entra app roles arrive in the <c>roles</c> claim) that admin routes need.</summary>
    public string AdminRole { get; set; } = "admin";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(MetadataAddress);

    public static OidcOptions From(IConfiguration configuration) =>
        configuration.GetSection(UserTokenOptions.Section).Get<OidcOptions>() ?? new OidcOptions();

    public Uri MetadataUri() => new(MetadataText);

    private string MetadataText => !string.IsNullOrWhiteSpace(MetadataAddress)
        ? MetadataAddress.Trim()
        : Authority!.Trim().TrimEnd('/') + "/.well-known/openid-configuration";

    /// <summary>Fails start-up on settings that would reject every token, or accept the wrong ones.</summary>
    public void Validate()
    {
        if (Audiences().Count == 0) throw new InvalidOperationException("Auth__Audience must be set when Auth__Authority or Auth__MetadataAddress is.");
        if (SubjectClaim is not ("sub" or "oid")) throw new InvalidOperationException("Auth__SubjectClaim must be 'sub' or 'oid'.");
        if (string.IsNullOrWhiteSpace(AdminRole)) throw new InvalidOperationException("Auth__AdminRole must not be empty.");
        if (!Uri.TryCreate(MetadataText, UriKind.Absolute, out var uri) || !(uri.Scheme == "https" || (uri.Scheme == "http" && uri.IsLoopback)))
            throw new InvalidOperationException("Auth__Authority / Auth__MetadataAddress must be an absolute https URL (http only on loopback).");
    }

    public IReadOnlyList<string> Audiences() =>
        (Audience ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
