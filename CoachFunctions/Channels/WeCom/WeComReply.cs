using System.Text.Json;

namespace CoachFunctions.Channels.WeCom;

/// <summary>A WeCom API answer: <c>errcode</c> (0 is success; absent counts as 0), and the whole body.</summary>
public sealed record WeComReply(int ErrCode, JsonElement Body)
{
    public static WeComReply Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var body = doc.RootElement.Clone();
        if (body.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
        var code = body.TryGetProperty("errcode", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : 0;
        return new WeComReply(code, body);
    }

    public string? String(string name) => Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public long? Number(string name) => Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
