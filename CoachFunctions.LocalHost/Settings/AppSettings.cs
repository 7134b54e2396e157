using System.Text.RegularExpressions;

namespace CoachFunctions.LocalHost.Settings;

/// <summary>
/// The app settings as the Functions host sees them: keys compared case-insensitively with ':' and
/// '__' equivalent (as IConfiguration does), so "Auth__SigningKey" and "Auth:SigningKey" are one setting.
/// </summary>
internal sealed partial class AppSettings
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public AppSettings(IEnumerable<KeyValuePair<string, string?>> values)
    {
        foreach (var (key, value) in values) Set(key, value);
    }

    public IReadOnlyDictionary<string, string> Values => _values;

    public static string Normalize(string key) => key.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>The environment variable name the worker reads the setting from ('A:B' becomes 'A__B').</summary>
    public static string ToEnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    public void Set(string key, string? value)
    {
        var normalized = Normalize(key);
        if (value is null) _values.Remove(normalized);
        else _values[normalized] = value;
    }

    public string? Get(string key) => _values.TryGetValue(Normalize(key), out var value) ? value : null;

    /// <summary>Replaces every %Name% with the setting's value, as binding expressions do; an unknown name is an error.</summary>
    public string Resolve(string expression)
    {
        return SettingExpression().Replace(expression, match =>
        {
            var name = match.Groups[1].Value;
            return Get(name) ?? throw new InvalidOperationException($"The binding expression '%{name}%' names a setting that is not set.");
        });
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingExpression();
}
