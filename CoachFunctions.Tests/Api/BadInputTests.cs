using System.Net;
using System.Text.Json;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Api;

/// <summary>Bad input gets a clear problem-details answer and changes nothing; no token gets 401.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class BadInputTests
{
    public static TheoryData<string, string, string?, int> Cases => new()
    {
        { "PUT", "/api/preferences", "{", 400 },
        { "PUT", "/api/preferences", "[]", 400 },
        { "PUT", "/api/preferences", "{\"timeZone\":\"Mars/Olympus\"}", 400 },
        { "PUT", "/api/preferences", "{\"timeZone\":\"W. Europe Standard Time\"}", 400 },
        { "PUT", "/api/preferences", "{\"timeZone\":7}", 400 },
        { "PUT", "/api/preferences", "{\"locale\":\"fr\"}", 400 },
        { "PUT", "/api/preferences", "{\"preferredTime\":\"25:00\"}", 400 },
        { "PUT", "/api/preferences", "{\"enabledTypes\":[\"spam\"]}", 400 },
        { "PUT", "/api/preferences", "{\"timeZone\":\"UTC\",\"isAdmin\":true}", 400 },
        { "POST", "/api/habits", "{\"name\":\"\"}", 400 },
        { "POST", "/api/habits", "{\"name\":\"x\",\"startDate\":\"2026-02-30\"}", 400 },
        { "POST", "/api/habits", "{\"name\":\"x\",\"daysOfWeek\":[\"someday\"]}", 400 },
        { "POST", "/api/habits", "{\"name\":\"x\",\"daysOfWeek\":[\"1\"]}", 400 },
        { "POST", "/api/habits", "{\"name\":\"" + new string('a', 101) + "\"}", 400 },
        { "POST", "/api/habits", "{\"name\":\"" + new string('a', 20_000) + "\"}", 413 },
        { "POST", "/api/habits", "not json", 400 },
        { "POST", "/api/habits/..%2F..%2Fetc/completions", "{}", 404 },
        { "POST", "/api/habits/abc'or'1'eq'1/completions", "{}", 404 },
        { "GET", "/api/prompts?limit=0", null, 400 },
        { "GET", "/api/prompts?limit=abc", null, 400 },
        { "GET", "/api/prompts?state=bogus", null, 400 },
        { "GET", "/api/prompts?continuationToken=%%%", null, 400 },
        { "GET", "/api/prompts/x'y", null, 404 },
        { "POST", "/api/prompts/0000000000000000000deadbeef/respond", "{\"value\":\"complete_now\"}", 404 },
        { "POST", "/api/prompts/0000000000000000000deadbeef/respond", "{\"value\":\"explode\"}", 400 },
        { "POST", "/api/prompts/0000000000000000000deadbeef/respond", "{\"value\":\"later\",\"text\":\"both\"}", 400 },
        { "POST", "/api/admin/scan", null, 403 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_requests_get_problem_details_and_change_nothing(string method, string path, string? body, int status)
    {
        var azurite = await Azurite.SharedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite);
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("bad"));
        var before = await SnapshotAsync(user);

        var response = await user.SendRawAsync(new HttpMethod(method), path, body);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));

        Assert.Equal(before, await SnapshotAsync(user));
    }

    [Theory]
    [InlineData("GET", "/api/prompts")]
    [InlineData("GET", "/api/preferences")]
    [InlineData("PUT", "/api/preferences")]
    [InlineData("GET", "/api/habits")]
    [InlineData("POST", "/api/habits")]
    [InlineData("POST", "/api/negotiate")]
    [InlineData("POST", "/api/admin/scan")]
    public async Task Routes_need_a_valid_token(string method, string path)
    {
        var azurite = await Azurite.SharedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).StatusCode);
        var forged = new HttpRequestMessage(new HttpMethod(method), path);
        forged.Headers.Authorization = new("Bearer", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health")).StatusCode);
    }

    private static async Task<string> SnapshotAsync(ApiClient user) =>
        (await user.JsonAsync(HttpMethod.Get, "/api/preferences")).GetRawText() +
        (await user.JsonAsync(HttpMethod.Get, "/api/habits")).GetRawText() +
        (await user.JsonAsync(HttpMethod.Get, "/api/prompts")).GetRawText();
}
