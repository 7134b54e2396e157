using System.Net.Mail;

namespace CoachFunctions.Coaching.Channels;

/// <summary>A push device: its provider token and platform (ios, android or web).</summary>
public sealed record DeviceToken(string Token, string Platform);

/// <summary>
/// Where a user can be reached beyond the app: an e-mail address for the e-mail channel and push
/// device tokens for the push channel. Empty by default; the push channel needs a device, the
/// e-mail channel an address.
/// </summary>
public sealed record UserContacts(string? Email, IReadOnlyList<DeviceToken> Devices)
{
    public const int MaxEmailLength = 254; // RFC 5321's path limit
    public const int MaxDevices = 10;
    public const int MaxTokenLength = 4096; // FCM and APNs tokens are far shorter; web push subscriptions can be long
    public static readonly IReadOnlyList<string> Platforms = ["ios", "android", "web"];

    public static readonly UserContacts None = new(null, []);

    public bool Reaches(string channel) => channel switch
    {
        DeliveryChannels.Email => Email is not null,
        DeliveryChannels.Push => Devices.Count > 0,
        _ => false,
    };

    /// <summary>
    /// Checks every field and lists what is wrong under its JSON path; the contacts are used only
    /// when the list is empty. E-mail: one plain address (no display name), at most 254 characters.
    /// Devices: at most 10, each a token of printable ASCII without spaces and a known platform, no token twice.
    /// </summary>
    public static (UserContacts? Contacts, Dictionary<string, string[]> Errors) Validate(string? email, IReadOnlyList<DeviceToken?>? devices)
    {
        var errors = new Dictionary<string, string[]>();
        var address = string.IsNullOrEmpty(email) ? null : email;
        if (address is not null && !IsEmail(address))
            errors["email"] = [$"email must be a single e-mail address (name@example.com) of at most {MaxEmailLength} characters."];

        var list = devices ?? [];
        if (list.Count > MaxDevices) errors["devices"] = [$"At most {MaxDevices} devices."];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count && i < MaxDevices; i++)
        {
            var d = list[i];
            if (d?.Token is not { Length: > 0 } token || token.Length > MaxTokenLength || !token.All(c => c is > ' ' and < '\x7f'))
                errors[$"devices[{i}].token"] = [$"token must be 1 to {MaxTokenLength} printable ASCII characters without spaces."];
            else if (!seen.Add(token))
                errors[$"devices[{i}].token"] = ["The same token is listed twice."];
            if (d?.Platform is not { } platform || !Platforms.Contains(platform))
                errors[$"devices[{i}].platform"] = [$"platform must be one of {string.Join(", ", Platforms)}."];
        }
        return errors.Count > 0 ? (null, errors) : (new UserContacts(address, [.. list.Select(d => d!)]), errors);
    }

    private static bool IsEmail(string s)
    {
        if (s.Length > MaxEmailLength || s.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) return false;
        var at = s.LastIndexOf('@');
        if (at <= 0 || at > 64 || at == s.Length - 1 || !s[(at + 1)..].Contains('.') || s[(at + 1)..].StartsWith('.') || s.EndsWith('.')) return false;
        // MailAddress also accepts "Name <a@b.c>" and comments: only a bare address that round-trips counts.
        return MailAddress.TryCreate(s, out var parsed) && parsed.Address == s && string.IsNullOrEmpty(parsed.DisplayName);
    }
}
