using CoachFunctions.Api;
using CoachFunctions.Hosting.Auth;

namespace CoachFunctions.Hosting.Local;

public sealed record DevTokenRequest(string? UserId, IReadOnlyList<string>? Roles);

/// <summary>
/// Development sign-in: a signed user token for any user id. Mapped only by the local host in the
/// Development environment, and deliberately not a function (no function.json), so it never ships.
/// </summary>
public static class DevTokenEndpoint
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    private static readonly HashSet<string> KnownRoles = ["admin"];

    public static void MapDevToken(this IEndpointRouteBuilder app) => app.MapPost("/api/dev/token", async (HttpContext http, UserTokens tokens, TimeProvider time, CancellationToken ct) =>
    {
        var (body, problem) = await JsonBody.ReadAsync<DevTokenRequest>(http.Request, ct);
        if (problem is not null) return problem;
        if (body!.UserId is null || !UserTokens.IsValidUserId(body.UserId))
            return Problems.Invalid("userId", "userId must be 1 to 128 letters, digits, '.', '_', '@' or '-'.");
        var roles = body.Roles ?? [];
        if (roles.Any(r => r is null || !KnownRoles.Contains(r)))
            return Problems.Invalid("roles", $"Known roles: {string.Join(", ", KnownRoles)}.");
        var now = time.GetUtcNow();
        return Results.Ok(new { accessToken = tokens.Mint(body.UserId, roles, Lifetime, now), expiresOn = now.Add(Lifetime), userId = body.UserId, roles });
    }).AllowAnonymous().WithName("DevToken");
}
