namespace CoachFunctions.Hosting.Auth;

public static class AuthPolicies
{
    /// <summary>Admin routes: a user token carrying the <c>admin</c> role.</summary>
    public const string Admin = "admin";
}
