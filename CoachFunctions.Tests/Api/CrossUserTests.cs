using System.Net;
using System.Text.Json;
using CoachFunctions.Tests.EndToEnd;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Api;

/// <summary>
/// Another user's data is invisible: every route that takes an id answers 404 (never 403, so
/// existence does not leak) for ids that belong to someone else, with valid bodies, and nothing of
/// the owner's changes. Admin routes answer 403 to a user without the admin role.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class CrossUserTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    public static TheoryData<string, string, string?> OwnedRoutes => new()
    {
        { "GET", "/api/prompts/{open}", null },
        { "GET", "/api/prompts/{answered}", null },
        { "POST", "/api/prompts/{open}/respond", "{\"value\":\"complete_now\"}" },
        { "POST", "/api/prompts/{open}/respond", "{\"text\":\"hello\"}" },
        { "POST", "/api/prompts/{open}/respond", "{\"value\":\"later\"}" },
        { "POST", "/api/prompts/{open}/ack", "{\"status\":\"delivered\"}" },
        { "POST", "/api/prompts/{open}/ack", "{\"status\":\"seen\"}" },
        { "DELETE", "/api/prompts/{open}", null },
        { "DELETE", "/api/prompts/{answered}", null },
        { "POST", "/api/prompts/{open}/feedback", "{\"kind\":\"like\"}" },
        { "POST", "/api/prompts/{open}/feedback", "{\"kind\":\"correction\",\"text\":\"be rude\"}" },
        { "PUT", "/api/habits/{habit}", "{\"name\":\"Hijacked\"}" },
        { "PUT", "/api/habits/{habit}", "{\"active\":false}" },
        { "DELETE", "/api/habits/{habit}", null },
        { "POST", "/api/habits/{habit}/completions", "{}" },
        { "POST", "/api/habits/{habit}/completions", "{\"date\":\"{beforeStart}\"}" },
    };

    [Theory]
    [MemberData(nameof(OwnedRoutes))]
    public async Task Another_user_gets_404_and_changes_nothing(string method, string path, string? body)
    {
        var before = await TestData.PartitionAsync(fixture.Host, fixture.User.UserId);
        var response = await fixture.Other.SendRawAsync(new HttpMethod(method), fixture.Substitute(path), body is null ? null : fixture.Substitute(body));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await TestData.PartitionAsync(fixture.Host, fixture.User.UserId));
    }

    [Fact]
    public async Task Lists_and_preferences_show_only_the_callers_own_data()
    {
        var prompts = await fixture.Other.JsonAsync(HttpMethod.Get, "/api/prompts?limit=100");
        Assert.DoesNotContain(prompts.GetProperty("items").EnumerateArray(), p => fixture.Ids.ContainsValue(p.GetProperty("id").GetString()!));
        var habits = await fixture.Other.JsonAsync(HttpMethod.Get, "/api/habits");
        Assert.DoesNotContain(habits.GetProperty("items").EnumerateArray(), h => h.GetProperty("id").GetString() == fixture.Ids["{habit}"]);

        // Writing one's own preferences, events, feedback distillation or learned reset never touches the owner's partition.
        var before = await TestData.PartitionAsync(fixture.Host, fixture.User.UserId);
        await fixture.Other.JsonAsync(HttpMethod.Put, "/api/preferences", new { locale = "zh-CN" });
        await fixture.Other.JsonAsync(HttpMethod.Post, "/api/events", new { kind = "conversation" });
        await fixture.Other.JsonAsync(HttpMethod.Post, "/api/preferences/learned/distill");
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Other.DeleteAsync("/api/preferences/learned")).StatusCode);
        Assert.Equal(before, await TestData.PartitionAsync(fixture.Host, fixture.User.UserId));
        Assert.Equal("en", (await fixture.User.JsonAsync(HttpMethod.Get, "/api/preferences")).GetProperty("locale").GetString());
    }

    [Theory]
    [InlineData("/api/admin/scan", null)]
    [InlineData("/api/admin/scan", "{\"all\":true}")]
    [InlineData("/api/admin/prompts/generate", "{\"userId\":\"{user}\",\"type\":\"daily_checkin\"}")]
    public async Task Admin_routes_are_forbidden_without_the_admin_role(string path, string? body)
    {
        foreach (var user in new[] { fixture.User, fixture.Other })
        {
            var response = await user.SendRawAsync(HttpMethod.Post, path, body is null ? null : fixture.Substitute(body));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(403, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        }
    }

    [Theory]
    [InlineData("POST", "/api/prompts/0000000000000000000deadbeef/ack")]
    [InlineData("DELETE", "/api/prompts/0000000000000000000deadbeef")]
    [InlineData("POST", "/api/prompts/0000000000000000000deadbeef/feedback")]
    [InlineData("PUT", "/api/habits/0123456789abcdef0123456789abcdef")]
    [InlineData("DELETE", "/api/habits/0123456789abcdef0123456789abcdef")]
    [InlineData("POST", "/api/events")]
    [InlineData("DELETE", "/api/preferences/learned")]
    [InlineData("POST", "/api/preferences/learned/distill")]
    [InlineData("POST", "/api/admin/prompts/generate")]
    public async Task New_routes_need_a_valid_token(string method, string path)
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
