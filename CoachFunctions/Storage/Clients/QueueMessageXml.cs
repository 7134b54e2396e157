using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace CoachFunctions.Storage;

/// <summary>The Queue service's XML bodies: &lt;QueueMessage&gt;&lt;MessageText/&gt; requests and &lt;QueueMessagesList&gt; answers.</summary>
internal static class QueueMessageXml
{
    public static byte[] Request(string wireText)
    {
        // XElement escapes &, <, > so any message text is safe inside the body.
        var doc = new XElement("QueueMessage", new XElement("MessageText", wireText));
        return Encoding.UTF8.GetBytes(doc.ToString(SaveOptions.DisableFormatting));
    }

    public static IEnumerable<XElement> Messages(BinaryData body)
    {
        if (body.ToMemory().IsEmpty) return [];
        // Load from bytes, not a string: the service prefixes its XML with a UTF-8 byte order mark.
        using var stream = body.ToStream();
        return XDocument.Load(stream).Root?.Elements("QueueMessage").ToList() ?? [];
    }

    public static string Text(XElement message, string name) => message.Element(name)?.Value ?? "";

    public static long Long(XElement message, string name) =>
        long.TryParse(message.Element(name)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    public static DateTimeOffset? Date(XElement message, string name) => ParseDate(message.Element(name)?.Value);

    /// <summary>Queue times are RFC 1123 ("Fri, 09 Oct 2009 21:04:30 GMT").</summary>
    public static DateTimeOffset? ParseDate(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : null;
}
