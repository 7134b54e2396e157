using System.Text.Json;

namespace CoachFunctions.LocalHost.Settings;

/// <summary>
/// CORS for the front door as <c>func start</c> sets it: local.settings.json's
/// <c>Host: { "CORS": "origin,origin", "CORSCredentials": false }</c> (the options override both, as
/// <c>--cors</c> and <c>--cors-credentials</c> do). Core Tools splits the list on ',' and applies ASP.NET
/// Core's CORS middleware to every request: those origins, any header, any method, credentials only
/// when asked. No origins: no CORS headers for anyone, and preflights are not answered as such.
/// In Azure the same list is the function app's <c>siteConfig.cors</c> (infra/resources.bicep).
/// </summary>
internal sealed record HostCors(IReadOnlyList<string> Origins, bool Credentials)
{
    public static readonly HostCors None = new([], false);

    public bool Enabled => Origins.Count > 0;

    public static HostCors Load(LocalHostOptions options)
    {
        var (origins, credentials) = (options.Cors, options.CorsCredentials);
        var file = options.SettingsFile ?? Path.Combine(options.AppDirectory, "local.settings.json");
        if ((origins is null || credentials is null) && File.Exists(file))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.TryGetProperty("Host", out var hostSection) && hostSection.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in hostSection.EnumerateObject())
                {
                    if (property.NameEquals("CORS") && property.Value.ValueKind == JsonValueKind.String) origins ??= property.Value.GetString();
                    else if (property.NameEquals("CORSCredentials")) credentials ??= property.Value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        JsonValueKind.String when bool.TryParse(property.Value.GetString(), out var flag) => flag,
                        _ => throw new FormatException($"{file}: Host.CORSCredentials must be true or false."),
                    };
                }
            }
        }
        return Parse(origins, credentials ?? false);
    }

    public static HostCors Parse(string? origins, bool credentials)
    {
        var list = (origins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(o => o == "*" ? o : o.TrimEnd('/'))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (credentials && list.Contains("*")) throw new FormatException("Host.CORS '*' cannot be combined with CORSCredentials: true (browsers refuse credentials for any origin).");
        return new HostCors(list, credentials);
    }
}
