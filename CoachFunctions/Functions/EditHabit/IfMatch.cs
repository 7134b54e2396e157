using Azure;
using Microsoft.Net.Http.Headers;

namespace CoachFunctions.Functions.EditHabit;

/// <summary>The <c>If-Match</c> rule the habit writes share.</summary>
public static class IfMatch
{
    /// <summary>An <c>If-Match</c> the current version does not satisfy (<c>*</c> matches any existing habit).</summary>
    public static bool Fails(HttpRequest request, ETag current)
    {
        var ifMatch = request.Headers[HeaderNames.IfMatch].ToString().Trim();
        if (ifMatch.Length == 0 || ifMatch == "*") return false;
        return !ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => tag == current.ToString("H") || tag == current.ToString());
    }
}
