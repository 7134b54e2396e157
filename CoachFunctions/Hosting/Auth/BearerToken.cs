namespace CoachFunctions.Hosting.Auth;

/// <summary>Reads <c>Authorization: Bearer &lt;token&gt;</c>, shared by the user and SignalR token schemes.</summary>
public static class BearerToken
{
    private const string Prefix = "Bearer ";

    /// <summary>The token; null when there is no Authorization header or it is not a bearer one.</summary>
    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? header[Prefix.Length..].Trim() : null;
    }
}
