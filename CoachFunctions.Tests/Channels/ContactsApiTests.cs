using System.Net;
using System.Text.Json;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Channels;

/// <summary>GET and PUT /api/contacts: the caller's own contacts only; bad input is a problem and changes nothing.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class ContactsApiTests
{
    [Fact]
    public async Task Bad_contacts_are_refused_with_problem_details_and_nothing_is_stored()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var hal = await ApiClient.SignInAsync(host, ApiClient.NewUserId("hal"));
        Assert.Equal(HttpStatusCode.OK, (await hal.SendJsonAsync(HttpMethod.Put, "/api/contacts",
            new { email = "hal@example.com", devices = new[] { new { token = "ok-1", platform = "ios" } } })).StatusCode);

        foreach (var (bad, field) in new (object, string)[]
        {
            (new { email = "not an address", devices = Array.Empty<object>() }, "email"),
            (new { email = "hal2@example.com", devices = new[] { new { token = "x y", platform = "ios" } } }, "devices[0].token"),
            (new { email = "hal2@example.com", devices = new[] { new { token = "ok-2", platform = "palm" } } }, "devices[0].platform"),
            (new { email = "hal2@example.com", devices = Enumerable.Range(0, 11).Select(i => new { token = $"t{i}", platform = "web" }).ToArray() }, "devices"),
        })
        {
            var response = await hal.SendJsonAsync(HttpMethod.Put, "/api/contacts", bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} named in {problem}");
        }
        var unknown = await hal.SendRawAsync(HttpMethod.Put, "/api/contacts", "{\"email\":\"hal3@example.com\",\"phone\":\"123\"}");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        var stored = await hal.JsonAsync(HttpMethod.Get, "/api/contacts");
        Assert.Equal("hal@example.com", stored.GetProperty("email").GetString());
        Assert.Equal("ok-1", Assert.Single(stored.GetProperty("devices").EnumerateArray()).GetProperty("token").GetString());
    }

    [Fact]
    public async Task Another_user_can_neither_read_nor_change_them()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var ivy = await ApiClient.SignInAsync(host, ApiClient.NewUserId("ivy"));
        using var jon = await ApiClient.SignInAsync(host, ApiClient.NewUserId("jon"));
        await ivy.SendJsonAsync(HttpMethod.Put, "/api/contacts", new { email = "ivy@example.com", devices = new[] { new { token = "ivy-1", platform = "web" } } });

        var seen = await jon.JsonAsync(HttpMethod.Get, "/api/contacts");
        Assert.Equal(JsonValueKind.Null, seen.TryGetProperty("email", out var e) ? e.ValueKind : JsonValueKind.Null);
        Assert.Empty(seen.GetProperty("devices").EnumerateArray());
        // The user is the token's subject: a userId in the body is not even a field.
        Assert.Equal(HttpStatusCode.BadRequest, (await jon.SendRawAsync(HttpMethod.Put, "/api/contacts", $"{{\"userId\":\"{ivy.UserId}\",\"email\":\"jon@example.com\"}}")).StatusCode);
        await jon.SendJsonAsync(HttpMethod.Put, "/api/contacts", new { email = "jon@example.com" });

        var ivys = await ivy.JsonAsync(HttpMethod.Get, "/api/contacts");
        Assert.Equal("ivy@example.com", ivys.GetProperty("email").GetString());
        Assert.Single(ivys.GetProperty("devices").EnumerateArray());
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/contacts")).StatusCode);
    }
}
