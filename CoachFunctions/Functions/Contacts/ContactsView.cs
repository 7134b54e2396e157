using CoachFunctions.Coaching.Channels;

namespace CoachFunctions.Functions.Contacts;

/// <summary>The caller's contacts as GET and PUT /api/contacts answer them.</summary>
public sealed record ContactsView(string? Email, IReadOnlyList<DeviceToken> Devices)
{
    public static ContactsView From(UserContacts c) => new(c.Email, c.Devices);
}

/// <summary>
/// PUT /api/contacts: the whole set, replacing what was stored. <c>email</c> null or empty removes the
/// address; <c>devices</c> omitted or empty removes every device.
/// </summary>
public sealed record ContactsUpdate(string? Email, IReadOnlyList<DeviceToken?>? Devices);
