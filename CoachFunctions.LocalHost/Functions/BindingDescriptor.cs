using System.Text.Json.Nodes;

namespace CoachFunctions.LocalHost.Functions;

/// <summary>One binding of a function, from the worker's raw_bindings JSON (the functions.metadata shape).</summary>
internal sealed record BindingDescriptor(string Name, string Type, bool IsOutput, string? DataType, JsonObject Raw)
{
    public static BindingDescriptor Parse(string rawJson)
    {
        var raw = JsonNode.Parse(rawJson) as JsonObject ?? throw new FormatException("A raw binding is not a JSON object.");
        var name = raw.Str("name") ?? throw new FormatException("A binding has no name.");
        var type = raw.Str("type") ?? throw new FormatException($"Binding '{name}' has no type.");
        var direction = raw.Str("direction") ?? "in";
        return new BindingDescriptor(name, type, !direction.Equals("in", StringComparison.OrdinalIgnoreCase), raw.Str("dataType"), raw);
    }

    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);

    public bool Is(string type) => Type.Equals(type, StringComparison.OrdinalIgnoreCase);

    public string? Property(string name) => Raw.Str(name);

    public bool Flag(string name, bool fallback) => Raw.Str(name) is { } value && bool.TryParse(value, out var flag) ? flag : fallback;

    /// <summary>The SDK marks parameters bound to SDK types (e.g. QueueMessage) with properties.supportsDeferredBinding.</summary>
    public bool SupportsDeferredBinding => Raw["properties"] is JsonObject properties && properties.Str("supportsDeferredBinding") is { } value
        && bool.TryParse(value, out var deferred) && deferred;

    public IReadOnlyList<string>? Methods => Raw["methods"] is JsonArray methods
        ? methods.Select(m => m?.ToString()).Where(m => !string.IsNullOrEmpty(m)).Select(m => m!.ToUpperInvariant()).ToList()
        : null;
}

internal static class JsonObjectExtensions
{
    /// <summary>A property, case-insensitive, as a string whatever its JSON kind (true, 5, "x").</summary>
    public static string? Str(this JsonObject json, string name)
    {
        foreach (var (key, value) in json)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
                return value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString();
        }
        return null;
    }
}
