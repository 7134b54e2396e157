using System.Globalization;
using System.Text.Json;

namespace CoachFunctions.Hosting.Invocation;

/// <summary>
/// Decodes binding data. The docs show a queue message as a JSON string holding the message; the
/// host's code serializes strings once more, so the message may be wrapped twice. Objects may also
/// arrive as they are. All three forms decode to the same value.
/// </summary>
public static class TriggerValue
{
    public static T Deserialize<T>(JsonElement value, string binding)
    {
        var current = value;
        for (var depth = 0; current.ValueKind == JsonValueKind.String && depth < 3; depth++)
        {
            var text = current.GetString()!;
            try
            {
                current = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidInvocationException($"Binding '{binding}' is not JSON.", e);
            }
        }
        try
        {
            return current.Deserialize<T>(CoachJson.Options)
                   ?? throw new InvalidInvocationException($"Binding '{binding}' is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidInvocationException($"Binding '{binding}' does not hold a valid {typeof(T).Name}: {e.Message}", e);
        }
    }

    public static long? ReadInt64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetInt64(),
        JsonValueKind.String => long.TryParse(value.GetString()?.Trim('"'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null,
        _ => null,
    };

    /// <summary>Strings such as Id and PopReceipt were observed with embedded quotes.</summary>
    public static string? ReadString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()?.Trim('"'),
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };
}
