using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CoachFunctions.LocalHost.DevAuth;

/// <summary>POST /api/dev/token {"userId", "roles"}: a user token for anyone, mapped in Development only.</summary>
internal static class DevTokenEndpoint
{
    public const string Path = "/api/dev/token";

    public sealed record Request(string? UserId, IReadOnlyList<string?>? Roles);

    public static void MapDevToken(this IEndpointRouteBuilder app) => app.MapPost(Path, async (HttpContext http, DevTokenIssuer issuer) =>
    {
        Request? body;
        try
        {
            body = await http.Request.ReadFromJsonAsync<Request>(new JsonSerializerOptions(JsonSerializerDefaults.Web), http.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Invalid("body", "The body must be JSON: {\"userId\": \"...\", \"roles\": [\"admin\"]}.");
        }
        if (body is null || !DevTokenIssuer.IsValidUserId(body.UserId))
            return Invalid("userId", "userId must be 1 to 64 letters, digits, '.', '_', '@' or '-'.");
        var roles = body.Roles ?? [];
        if (roles.Any(r => !DevTokenIssuer.IsValidRole(r)))
            return Invalid("roles", "Each role must be 1 to 64 letters, digits, '.', '_' or '-'.");

        var (token, expiresAt) = issuer.Mint(body.UserId!, roles.Select(r => r!).ToList());
        // expiresOn and userId/roles as the app's own development sign-in answered, for existing clients.
        return Results.Ok(new { accessToken = token, expiresAt, expiresOn = expiresAt, userId = body.UserId, roles });
    }).WithOrder(-100);

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
