using System.Globalization;
using System.Text.Json;
using Azure;

namespace CoachFunctions.Storage;

/// <summary>
/// Table entity JSON (OData v3 "light"). Types JSON cannot carry (Int64, DateTime, Guid, Binary,
/// and doubles that look like integers) travel with a "Name@odata.type" annotation, which the
/// service echoes on reads with odata=minimalmetadata; nometadata would lose them.
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";

    public static byte[] Serialize(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        // Single-line JSON: Azurite finds a batch sub-request's body with a one-line pattern.
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in entity)
            {
                // Timestamp and odata.* are service-owned; a null is "no property" in the table model.
                if (value is null || name == TableEntity.TimestampName || name.StartsWith("odata.", StringComparison.Ordinal)) continue;
                WriteProperty(writer, name, value);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string s: writer.WriteString(name, s); break;
            case bool b: writer.WriteBoolean(name, b); break;
            case int i: writer.WriteNumber(name, i); break;
            case short or byte or sbyte or ushort: writer.WriteNumber(name, Convert.ToInt32(value, CultureInfo.InvariantCulture)); break;
            case long l: Annotated(writer, name, l.ToString(CultureInfo.InvariantCulture), "Edm.Int64"); break;
            case uint u: Annotated(writer, name, u.ToString(CultureInfo.InvariantCulture), "Edm.Int64"); break;
            case double d: WriteDouble(writer, name, d); break;
            case float f: WriteDouble(writer, name, f); break;
            case DateTimeOffset dto: Annotated(writer, name, FormatDateTime(dto), "Edm.DateTime"); break;
            case DateTime dt: Annotated(writer, name, FormatDateTime(ToOffset(dt)), "Edm.DateTime"); break;
            case Guid g: Annotated(writer, name, g.ToString("D"), "Edm.Guid"); break;
            case byte[] bytes: Annotated(writer, name, Convert.ToBase64String(bytes), "Edm.Binary"); break;
            case BinaryData data: Annotated(writer, name, Convert.ToBase64String(data.ToArray()), "Edm.Binary"); break;
            case Enum e: writer.WriteString(name, e.ToString()); break;
            default:
                throw new NotSupportedException($"Property '{name}' has type {value.GetType().Name}, which the Table service cannot store.");
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, string name, double d)
    {
        // Annotate every double: 2.0 is written as 2 and would otherwise come back as Int32.
        if (double.IsFinite(d)) writer.WriteNumber(name, d);
        else writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        writer.WriteString(name + TypeSuffix, "Edm.Double");
    }

    private static void Annotated(Utf8JsonWriter writer, string name, string value, string edmType)
    {
        writer.WriteString(name, value);
        writer.WriteString(name + TypeSuffix, edmType);
    }

    internal static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ToOffset(DateTime value) =>
        new(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value);

    public static TableEntity Deserialize(JsonElement json)
    {
        var entity = new TableEntity();
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            if (name.EndsWith(TypeSuffix, StringComparison.Ordinal)) continue;
            if (name == "odata.etag")
            {
                entity.ETag = new ETag(property.Value.GetString() ?? "");
                continue;
            }

            if (name.StartsWith("odata.", StringComparison.Ordinal)) continue;
            var edmType = json.TryGetProperty(name + TypeSuffix, out var t) ? t.GetString() : null;
            // Timestamp is always DateTime, even when a nometadata answer dropped its annotation.
            if (edmType is null && name == TableEntity.TimestampName) edmType = "Edm.DateTime";
            entity[name] = ReadValue(property.Value, edmType);
        }

        return entity;
    }

    private static object? ReadValue(JsonElement value, string? edmType)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        switch (edmType)
        {
            case "Edm.Int64": return value.ValueKind == JsonValueKind.Number ? value.GetInt64() : long.Parse(value.GetString()!, CultureInfo.InvariantCulture);
            case "Edm.DateTime": return DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            case "Edm.Guid": return Guid.Parse(value.GetString()!);
            case "Edm.Binary": return Convert.FromBase64String(value.GetString()!);
            case "Edm.Double": return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.Parse(value.GetString()!, CultureInfo.InvariantCulture);
            case "Edm.Int32": return value.ValueKind == JsonValueKind.Number ? value.GetInt32() : int.Parse(value.GetString()!, CultureInfo.InvariantCulture);
            case "Edm.Boolean": return value.ValueKind == JsonValueKind.String ? bool.Parse(value.GetString()!) : value.GetBoolean();
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            // Unannotated numbers are Int32 or Double (Int64 is always annotated).
            JsonValueKind.Number => value.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0 && value.TryGetInt32(out var i) ? (object)i : value.GetDouble(),
            _ => value.GetRawText(),
        };
    }
}
