using CoachFunctions.Coaching;

namespace CoachFunctions.Channels.Webhooks;

/// <summary>
/// Where the push and e-mail providers' webhooks are and the secret that signs them:
/// <c>Channels:Push:WebhookUrl</c>, <c>Channels:Email:WebhookUrl</c> (absolute http or https; a channel
/// without one is unreachable) and <c>Channels:WebhookSecret</c> in the Standard Webhooks form
/// <c>whsec_</c> + base64 of the key bytes, required once a URL is set. Bad values fail at start-up.
/// The secret is never logged nor put in an exception message.
/// </summary>
public sealed class WebhookOptions
{
    public const string PushUrlSetting = "Channels:Push:WebhookUrl";
    public const string EmailUrlSetting = "Channels:Email:WebhookUrl";
    public const string SecretSetting = "Channels:WebhookSecret";
    public const string SecretPrefix = "whsec_";

    private WebhookOptions(Uri? push, Uri? email, byte[] key) => (Push, Email, Key) = (push, email, key);

    public Uri? Push { get; }
    public Uri? Email { get; }

    /// <summary>The HMAC key: the secret's base64 part, decoded.</summary>
    internal byte[] Key { get; }

    public Uri? UrlFor(string channel) => channel switch
    {
        DeliveryChannels.Push => Push,
        DeliveryChannels.Email => Email,
        _ => null,
    };

    public static WebhookOptions FromConfiguration(IConfiguration configuration)
    {
        var push = Url(configuration, PushUrlSetting);
        var email = Url(configuration, EmailUrlSetting);
        var secret = configuration[SecretSetting];
        if (push is null && email is null) return new WebhookOptions(null, null, []);
        if (string.IsNullOrWhiteSpace(secret))
            throw new InvalidOperationException($"{SecretSetting} is required when a channel webhook URL is set.");
        return new WebhookOptions(push, email, ParseSecret(secret));
    }

    /// <summary>whsec_ + base64 of at least 24 bytes (Standard Webhooks suggests 24 to 64).</summary>
    public static byte[] ParseSecret(string secret)
    {
        byte[]? key = null;
        if (secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            try { key = Convert.FromBase64String(secret[SecretPrefix.Length..]); }
            catch (FormatException) { }
        }
        if (key is null || key.Length < 24)
            throw new InvalidOperationException($"{SecretSetting} must be '{SecretPrefix}' followed by the base64 of at least 24 random bytes."); // the value itself is never echoed
        return key;
    }

    private static Uri? Url(IConfiguration configuration, string name)
    {
        if (configuration[name] is not { Length: > 0 } value) return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new InvalidOperationException($"{name} must be an absolute http or https URL.");
        return uri;
    }
}
