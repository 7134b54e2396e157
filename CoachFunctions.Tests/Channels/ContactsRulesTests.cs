using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;

namespace CoachFunctions.Tests.Channels;

public sealed class ContactsRulesTests
{
    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("a.b+tag@sub.example.org")]
    public void A_plain_address_is_accepted(string email)
    {
        var (contacts, errors) = UserContacts.Validate(email, []);
        Assert.Empty(errors);
        Assert.Equal(email, contacts!.Email);
        Assert.True(contacts.Reaches(DeliveryChannels.Email));
        Assert.False(contacts.Reaches(DeliveryChannels.Push));
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("Ada <ada@example.com>")]
    [InlineData("ada@example")]
    [InlineData("ada @example.com")]
    [InlineData("@example.com")]
    [InlineData("ada@example.com\n")]
    public void Anything_else_is_refused(string email)
    {
        var (contacts, errors) = UserContacts.Validate(email, []);
        Assert.Null(contacts);
        Assert.Contains("email", errors.Keys);
    }

    [Fact]
    public void An_address_longer_than_254_characters_is_refused() =>
        Assert.Contains("email", UserContacts.Validate(new string('a', 60) + "@" + new string('b', 190) + ".com", []).Errors.Keys);

    [Fact]
    public void Devices_are_bounded_printable_distinct_and_of_a_known_platform()
    {
        Assert.Empty(UserContacts.Validate(null, [new DeviceToken("fcm:abc-123", "android"), new DeviceToken("apns0f", "ios")]).Errors);
        Assert.Contains("devices", UserContacts.Validate(null, [.. Enumerable.Range(0, 11).Select(i => new DeviceToken($"t{i}", "web"))]).Errors.Keys);
        var errors = UserContacts.Validate(null, [new DeviceToken("has space", "ios"), new DeviceToken("ok", "symbian"), new DeviceToken("ok", "web"),
            new DeviceToken(new string('x', UserContacts.MaxTokenLength + 1), "web"), null]).Errors;
        Assert.Contains("devices[0].token", errors.Keys);
        Assert.Contains("devices[1].platform", errors.Keys);
        Assert.Contains("devices[2].token", errors.Keys); // the same token twice
        Assert.Contains("devices[3].token", errors.Keys);
        Assert.Contains("devices[4].token", errors.Keys);
        Assert.Contains("devices[4].platform", errors.Keys);
    }
}
