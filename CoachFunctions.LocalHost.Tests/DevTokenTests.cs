using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoachFunctions.LocalHost.Tests;

public sealed class DevTokenTests : IAsyncLifetime
{
    private FunctionsLocalHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync();
        _client = new HttpClient { BaseAddress = _host.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task The_token_validates_as_the_app_validates_it()
    {
        var response = await _client.PostAsJsonAsync("/api/dev/token", new { userId = "user-1@example", roles = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.TryGetProperty("expiresAt", out _));

        // The parameters of the app's UserTokens: issuer, audience, HS256 with Auth:SigningKey, role claim "roles".
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(body.GetProperty("accessToken").GetString(), new TokenValidationParameters
        {
            ValidIssuer = "coachfunctions",
            ValidAudience = "coachfunctions-api",
            IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(_host.WorkerSettings["Auth:SigningKey"]!)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            NameClaimType = "sub",
            RoleClaimType = "roles",
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("user-1@example", result.ClaimsIdentity.Name);
        Assert.Contains(result.ClaimsIdentity.FindAll("roles"), c => c.Value == "admin");
    }

    [Theory]
    [InlineData("""{"userId":""}""")]
    [InlineData("""{"userId":"a/b"}""")]
    [InlineData("""{"roles":["admin"]}""")]
    [InlineData("""not json""")]
    public async Task Invalid_requests_are_400_problems(string json)
    {
        var response = await _client.PostAsync("/api/dev/token", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_user_id_longer_than_64_is_refused()
    {
        var response = await _client.PostAsJsonAsync("/api/dev/token", new { userId = new string('a', 65) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
