using System.Globalization;
using System.Text;

namespace CoachFunctions.Storage;

/// <summary>Builds OData $filter expressions with safely formatted literals.</summary>
public static class TableOData
{
    /// <summary>
    /// Formats each interpolated value as an OData literal: strings quoted with ' doubled,
    /// DateTimeOffset as datetime'...', Guid as guid'...', Int64 with an L suffix, byte[] as X'..',
    /// bool and numbers invariantly. Example: <c>TableOData.Filter($"PartitionKey eq {pk} and Count gt {n}")</c>.
    /// </summary>
    public static string Filter(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var args = filter.GetArguments().Select(Literal).ToArray<object?>();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, args);
    }

    internal static string Literal(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        char c => Quote(c.ToString()),
        bool b => b ? "true" : "false",
        DateTimeOffset d => $"datetime'{TableEntityJson.FormatDateTime(d)}'",
        DateTime d => $"datetime'{TableEntityJson.FormatDateTime(d.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(d, TimeSpan.Zero) : new DateTimeOffset(d))}'",
        Guid g => $"guid'{g:D}'",
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        int or short or byte or sbyte or ushort => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => Double(d),
        float f => Double(f),
        byte[] bytes => $"X'{Convert.ToHexString(bytes)}'",
        IFormattable f => Quote(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => Quote(value.ToString() ?? ""),
    };

    private static string Quote(string s) => new StringBuilder(s.Length + 2).Append('\'').Append(s.Replace("'", "''")).Append('\'').ToString();

    // A double literal needs a decimal point or exponent, else the service compares it as an integer.
    private static string Double(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E') >= 0 || !double.IsFinite(d) ? text : text + ".0";
    }
}
