using System.Security.Claims;

namespace CoachFunctions.Api;

/// <summary>The caller: always the token's subject, never a route or body field.</summary>
public static class CurrentUser
{
    public static string Id(this ClaimsPrincipal principal) =>
        principal.FindFirstValue("sub") ?? throw new InvalidOperationException("An authenticated principal without a subject.");
}
