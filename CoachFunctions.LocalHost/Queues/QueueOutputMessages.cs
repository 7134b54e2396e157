using System.Globalization;
using System.Text.Json;
using CoachFunctions.LocalHost.Rpc;

namespace CoachFunctions.LocalHost.Queues;

/// <summary>
/// The messages a queue output value becomes: one per element for an array or collection, one for
/// anything else. A JSON string element is written as its text; an object as its JSON.
/// </summary>
internal static class QueueOutputMessages
{
    public static IReadOnlyList<BinaryData> From(TypedData? data)
    {
        if (data is null) return [];
        return data.DataCase switch
        {
            TypedData.DataOneofCase.String => [BinaryData.FromString(data.String)],
            TypedData.DataOneofCase.Json => FromJson(data.Json),
            TypedData.DataOneofCase.Bytes => [BinaryData.FromBytes(data.Bytes.ToByteArray())],
            TypedData.DataOneofCase.Stream => [BinaryData.FromBytes(data.Stream.ToByteArray())],
            TypedData.DataOneofCase.Int => [BinaryData.FromString(data.Int.ToString(CultureInfo.InvariantCulture))],
            TypedData.DataOneofCase.Double => [BinaryData.FromString(data.Double.ToString(CultureInfo.InvariantCulture))],
            TypedData.DataOneofCase.CollectionString => data.CollectionString.String.Select(BinaryData.FromString).ToList(),
            TypedData.DataOneofCase.CollectionBytes => data.CollectionBytes.Bytes.Select(b => BinaryData.FromBytes(b.ToByteArray())).ToList(),
            TypedData.DataOneofCase.CollectionDouble => data.CollectionDouble.Double.Select(d => BinaryData.FromString(d.ToString(CultureInfo.InvariantCulture))).ToList(),
            TypedData.DataOneofCase.CollectionSint64 => data.CollectionSint64.Sint64.Select(i => BinaryData.FromString(i.ToString(CultureInfo.InvariantCulture))).ToList(),
            _ => [],
        };
    }

    private static IReadOnlyList<BinaryData> FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return root.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => [],
            JsonValueKind.Array => root.EnumerateArray().Where(e => e.ValueKind != JsonValueKind.Null).Select(Message).ToList(),
            _ => [Message(root)],
        };
    }

    private static BinaryData Message(JsonElement element) =>
        BinaryData.FromString(element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText());
}
