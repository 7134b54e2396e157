namespace CoachFunctions.Hosting.Auth;

/// <summary>
/// The access rules a function declares on its method, read by <see cref="Middleware.HttpPolicyMiddleware"/>:
/// nothing means a valid user token; <c>[AllowAnonymous]</c> means none is needed;
/// <c>[Authorize(Policy = AuthPolicies.Admin)]</c> also needs the admin role.
/// </summary>
public static class AuthPolicies
{
    /// <summary>Admin routes: a user token carrying the admin role (<c>Auth__AdminRole</c>, default <c>admin</c>).</summary>
    public const string Admin = "admin";
}

/// <summary>The role admin routes need, as configured (Entra app roles arrive in the <c>roles</c> claim).</summary>
public sealed record AdminRole(string Name);
