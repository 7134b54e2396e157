using System.Text;

namespace CoachFunctions.Storage;

/// <summary>Builds "?a=1&amp;b=2" query strings, skipping null values and escaping the rest.</summary>
internal static class StorageQuery
{
    public static string Build(params (string Name, string? Value)[] parameters)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is null) continue;
            sb.Append(sb.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return sb.ToString();
    }
}
