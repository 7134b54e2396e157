using System.Net;
using System.Text.Json;
using CoachFunctions.Hosting.RateLimiting;
using CoachFunctions.Tests.Infrastructure;
using CoachFunctions.Functions.OpenApi;

namespace CoachFunctions.Tests.Api;

/// <summary>Per-user limits on respond: the call after the limit is a 429 problem with Retry-After; other users are unaffected.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class RateLimitTests
{
    private const string Respond = "/api/prompts/0000000000000000000deadbeef/respond";
    private const string Body = "{\"value\":\"complete_now\"}";

    [Fact]
    public async Task The_call_after_the_limit_is_429_for_that_user_only()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), new Dictionary<string, string?> { ["RateLimits:RespondPerMinute"] = "3" });
        using var alice = await ApiClient.SignInAsync(host, ApiClient.NewUserId("alice"));
        using var bob = await ApiClient.SignInAsync(host, ApiClient.NewUserId("bob"));

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await alice.SendRawAsync(HttpMethod.Post, Respond, Body)).StatusCode); // within the limit: handled

        var limited = await alice.SendRawAsync(HttpMethod.Post, Respond, Body);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.NotFound, (await bob.SendRawAsync(HttpMethod.Post, Respond, Body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/prompts")).StatusCode); // other routes are not limited
    }

    [Fact]
    public void Respond_carries_the_respond_policy_and_only_respond_feedback_and_welcome_are_limited()
    {
        var limited = ApiRoutes.All.Where(r => r.Access.RateLimitPolicy is not null)
            .Select(r => $"{string.Join(",", r.Methods)} {r.Path} {r.Access.RateLimitPolicy}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal([$"POST /api/prompts/{{id}}/feedback {RateLimits.Feedback}", $"POST /api/prompts/{{id}}/respond {RateLimits.Respond}", $"POST /api/welcome {RateLimits.Welcome}"], limited);
    }
}
