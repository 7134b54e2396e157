using System.Text.Json;

namespace CoachFunctions.LocalHost.Settings;

/// <summary>
/// Settings in the order <c>func start</c> applies them: local.settings.json <c>Values</c>, then
/// environment variables of the same name override them, then the options' dictionary overrides both.
/// </summary>
internal static class AppSettingsLoader
{
    public static AppSettings Load(LocalHostOptions options)
    {
        var settings = new AppSettings([]);
        var file = options.SettingsFile ?? Path.Combine(options.AppDirectory, "local.settings.json");
        if (File.Exists(file))
        {
            foreach (var (key, value) in ReadValues(file)) settings.Set(key, value);
        }
        else if (options.SettingsFile is not null)
        {
            throw new FileNotFoundException($"The settings file '{file}' does not exist.", file);
        }

        var environment = Environment.GetEnvironmentVariables();
        foreach (var key in settings.Values.Keys.ToList())
        {
            var fromEnvironment = environment[AppSettings.ToEnvironmentName(key)] ?? environment[key];
            if (fromEnvironment is string value) settings.Set(key, value);
        }

        foreach (var (key, value) in options.Settings) settings.Set(key, value);
        return settings;
    }

    /// <summary>A setting by name from the settings, else from the environment (as the host's configuration falls back).</summary>
    public static string? GetWithEnvironment(AppSettings settings, string name)
    {
        if (settings.Get(name) is { } value) return value;
        var environment = Environment.GetEnvironmentVariables();
        return (environment[AppSettings.ToEnvironmentName(name)] ?? environment[name]) as string;
    }

    private static IEnumerable<KeyValuePair<string, string?>> ReadValues(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object) yield break;
        foreach (var property in values.EnumerateObject())
        {
            yield return new(property.Name, property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Null => null,
                _ => property.Value.GetRawText(),
            });
        }
    }
}
