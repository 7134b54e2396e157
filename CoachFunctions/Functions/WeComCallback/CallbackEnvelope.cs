using System.Xml;
using System.Xml.Linq;

namespace CoachFunctions.Functions.WeComCallback;

/// <summary>
/// The XML of a callback, read without DTDs or external entities and within a size cap: the outer
/// envelope's <c>Encrypt</c>, and, once decrypted, the event's fields.
/// </summary>
internal static class CallbackEnvelope
{
    public const int MaxBytes = 64 * 1024;

    private static readonly XmlReaderSettings Safe = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxBytes,
        IgnoreComments = true,
    };

    /// <summary>The root's child elements by name, or null for anything that is not a small, plain XML document.</summary>
    public static IReadOnlyDictionary<string, string>? Read(string xml)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Safe);
            var root = XDocument.Load(reader).Root;
            if (root is null) return null;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var e in root.Elements()) fields.TryAdd(e.Name.LocalName, e.Value);
            return fields;
        }
        catch (XmlException) { return null; }
    }

    public static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
