namespace CoachFunctions.Hosting.Auth;

/// <summary>How user bearer tokens are validated (settings <c>Auth__Issuer</c>, <c>Auth__Audience</c>, <c>Auth__SigningKey</c>).</summary>
public sealed class UserTokenOptions
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "coachfunctions";
    public string Audience { get; set; } = "coachfunctions-api";

    /// <summary>Base64 HMAC key, at least 32 bytes. The local host passes its own (and mints the development sign-in tokens with it).</summary>
    public string? SigningKey { get; set; }
}
