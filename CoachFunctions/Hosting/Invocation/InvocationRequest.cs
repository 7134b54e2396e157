using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoachFunctions.Hosting.Invocation;

/// <summary>
/// What the Functions host posts to <c>POST /{FunctionName}</c>: one <see cref="Data"/> entry per
/// trigger or input binding, and trigger <see cref="Metadata"/> (functions-contract.md).
/// </summary>
public sealed class InvocationRequest
{
    [JsonPropertyName("Data"), JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public Dictionary<string, JsonElement> Data { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    [JsonPropertyName("Metadata"), JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public Dictionary<string, JsonElement> Metadata { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The queue message's dequeue count; the host sends it as a string ("1"), the docs as a number.</summary>
    [JsonIgnore]
    public long DequeueCount => Metadata.TryGetValue("DequeueCount", out var v) ? TriggerValue.ReadInt64(v) ?? 1 : 1;

    /// <summary>Reads binding <paramref name="name"/> as <typeparamref name="T"/>, accepting both encodings.</summary>
    public T Read<T>(string name)
    {
        if (!Data.TryGetValue(name, out var value))
            throw new InvalidInvocationException($"The invocation has no '{name}' binding data.");
        return TriggerValue.Deserialize<T>(value, name);
    }
}

/// <summary>The invocation is malformed: retrying will not help, so the host should poison it.</summary>
public sealed class InvalidInvocationException(string message, Exception? inner = null) : Exception(message, inner);
