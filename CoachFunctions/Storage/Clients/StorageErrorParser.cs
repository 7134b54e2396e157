using System.Text.Json;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace CoachFunctions.Storage;

/// <summary>
/// Reads the error code and message of a failed storage response so RequestFailedException.ErrorCode
/// is set: the x-ms-error-code header when present, else the Table service's JSON
/// {"odata.error":{"code","message":{"value"}}} or the Queue service's XML &lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;.
/// </summary>
internal sealed class StorageErrorParser : RequestFailedDetailsParser
{
    public static readonly StorageErrorParser Instance = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        string? message = null;
        try
        {
            var body = response.Content?.ToString();
            if (!string.IsNullOrWhiteSpace(body))
            {
                // Queue errors are XML behind a UTF-8 byte order mark, which TrimStart alone keeps.
                var trimmed = body.TrimStart('\uFEFF').TrimStart();
                if (trimmed.StartsWith('{'))
                    (code, message) = FromJson(trimmed, code);
                else if (trimmed.StartsWith('<'))
                    (code, message) = FromXml(trimmed, code);
            }
        }
        catch (Exception e) when (e is JsonException or System.Xml.XmlException or InvalidOperationException)
        {
            // A body we cannot read still leaves the header's code, and the exception message keeps the raw body.
        }

        error = code is null && message is null ? null : new ResponseError(code, message);
        return error is not null;
    }

    internal static (string? Code, string? Message) FromJson(string json, string? code)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("odata.error", out var err) && !doc.RootElement.TryGetProperty("error", out err))
            return (code, null);
        if (code is null && err.TryGetProperty("code", out var c)) code = c.GetString();
        string? message = null;
        if (err.TryGetProperty("message", out var m))
            message = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        return (code, message);
    }

    private static (string? Code, string? Message) FromXml(string xml, string? code)
    {
        var root = XDocument.Parse(xml).Root;
        return (code ?? root?.Element("Code")?.Value, root?.Element("Message")?.Value);
    }
}
