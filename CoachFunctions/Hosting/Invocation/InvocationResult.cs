using System.Text.Json.Serialization;

namespace CoachFunctions.Hosting.Invocation;

/// <summary>
/// What the handler answers: values for output bindings by name (an array becomes one item per
/// element), log lines the host writes, and the return value.
/// </summary>
public sealed class InvocationResult
{
    [JsonPropertyName("Outputs")]
    public Dictionary<string, object?> Outputs { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    [JsonPropertyName("Logs")]
    public List<string> Logs { get; init; } = [];

    [JsonPropertyName("ReturnValue")]
    public object? ReturnValue { get; set; }

    public InvocationResult Output(string binding, object? value)
    {
        Outputs[binding] = value;
        return this;
    }

    public InvocationResult Log(string line)
    {
        Logs.Add(line);
        return this;
    }
}
