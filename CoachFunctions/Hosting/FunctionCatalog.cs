using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace CoachFunctions.Hosting;

/// <summary>One binding of a function.json, with the properties this app uses.</summary>
public sealed record BindingDefinition
{
    public string Type { get; init; } = "";
    public string Direction { get; init; } = "";
    public string Name { get; init; } = "";
    public string? QueueName { get; init; }
    public string? Schedule { get; init; }
    public string? Route { get; init; }
    public string[]? Methods { get; init; }
    public string? AuthLevel { get; init; }
    public string? HubName { get; init; }
    public string? Connection { get; init; }
    public bool? RunOnStartup { get; init; }

    [JsonIgnore] public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.Ordinal);
}

public sealed record FunctionDefinition(string Name, IReadOnlyList<BindingDefinition> Bindings)
{
    public BindingDefinition Trigger => Bindings.Single(b => b.IsTrigger);

    public IEnumerable<BindingDefinition> Outputs => Bindings.Where(b => b.Direction == "out");
}

/// <summary>
/// The app's functions as the Functions host sees them: every <c>&lt;Name&gt;/function.json</c> under
/// the app root (the build and publish folders both have that layout). The single source of truth
/// for triggers and bindings on both hosts.
/// </summary>
public sealed partial class FunctionCatalog
{
    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = true };

    public FunctionCatalog(IReadOnlyList<FunctionDefinition> functions) => Functions = functions;

    public IReadOnlyList<FunctionDefinition> Functions { get; }

    public FunctionDefinition? Find(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public static FunctionCatalog Load(string appRoot)
    {
        var functions = new List<FunctionDefinition>();
        foreach (var file in Directory.EnumerateFiles(appRoot, "function.json", SearchOption.AllDirectories)
                     .Where(f => Path.GetDirectoryName(Path.GetDirectoryName(f)) == Path.TrimEndingDirectorySeparator(appRoot))
                     .Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file))!;
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var bindings = doc.RootElement.GetProperty("bindings").Deserialize<BindingDefinition[]>(ReadOptions)
                           ?? throw new InvalidOperationException($"{file} has no bindings.");
            functions.Add(new FunctionDefinition(name, bindings));
        }
        return new FunctionCatalog(functions);
    }

    /// <summary>Expands <c>%Setting%</c> references the way the Functions host does.</summary>
    public static string Resolve(string value, Func<string, string?> setting) =>
        SettingReference().Replace(value, m => setting(m.Groups[1].Value)
            ?? throw new InvalidOperationException($"The app setting '{m.Groups[1].Value}' used in a function.json is not set."));

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();
}
