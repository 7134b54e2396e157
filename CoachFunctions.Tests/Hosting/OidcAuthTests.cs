using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CoachFunctions.Hosting.Auth;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Hosting;

/// <summary>Entra ID style tokens, validated against a real OpenID Connect issuer's metadata and JWKS on loopback.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class OidcAuthTests
{
    private const string Audience = "api://coachfunctions-test";

    private static Dictionary<string, string?> Settings(TestOidcIssuer issuer, params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Auth:Authority"] = issuer.Authority, ["Auth:Audience"] = Audience };
        foreach (var (k, v) in more) settings[k] = v;
        return settings;
    }

    [Fact]
    public async Task A_token_the_issuer_signed_is_accepted_and_its_subject_is_the_user()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), Settings(issuer));
        var user = ApiClient.NewUserId("entra");
        using var http = Client(host, issuer.Sign(Audience, user));

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/preferences")).StatusCode);
        var put = await http.PutAsJsonAsync("/api/preferences", new { timeZone = "Asia/Shanghai" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        // A second token for the same subject sees the same data: the user id is the token's sub.
        using var again = Client(host, issuer.Sign(Audience, user));
        var prefs = await again.GetFromJsonAsync<JsonElement>("/api/preferences");
        Assert.Equal("Asia/Shanghai", prefs.GetProperty("timeZone").GetString());
        using var someoneElse = Client(host, issuer.Sign(Audience, ApiClient.NewUserId("entra")));
        Assert.NotEqual("Asia/Shanghai", (await someoneElse.GetFromJsonAsync<JsonElement>("/api/preferences")).GetProperty("timeZone").GetString());
    }

    public static TheoryData<string> BadTokens => ["wrong issuer", "wrong audience", "expired", "another key, same kid", "another key, unknown kid",
        "alg none", "app key (HS256) with no app key configured", "not a token", "subject not a storage key"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Tokens_the_issuer_did_not_sign_for_us_are_401_problems(string what)
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        using var otherKey = RSA.Create(2048);
        var user = ApiClient.NewUserId("entra");
        var token = what switch
        {
            "wrong issuer" => issuer.Sign(Audience, user, issuer: "https://login.microsoftonline.com/other-tenant/v2.0"),
            "wrong audience" => issuer.Sign("api://someone-else", user),
            "expired" => issuer.Sign(Audience, user, expires: DateTimeOffset.UtcNow.AddMinutes(-10)),
            "another key, same kid" => issuer.Sign(Audience, user, key: otherKey),
            "another key, unknown kid" => issuer.Sign(Audience, user, key: otherKey, keyId: "key-2"),
            "alg none" => issuer.Unsigned(Audience, user, ["admin"]),
            "app key (HS256) with no app key configured" => new UserTokens(
                new UserTokenOptions { SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Issuer = issuer.Issuer, Audience = Audience })
                .Mint(user, ["admin"], TimeSpan.FromHours(1), DateTimeOffset.UtcNow),
            "not a token" => "definitely-not-a-jwt",
            "subject not a storage key" => issuer.Sign(Audience, "alice/../bob"),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        // The Functions host: no app signing key, so the issuer is the only way in.
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), Settings(issuer, ("Auth:SigningKey", null)));
        using var http = Client(host, token);

        var response = await http.GetAsync("/api/preferences");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());

        using var good = Client(host, issuer.Sign(Audience, user)); // the same host accepts a good token
        Assert.Equal(HttpStatusCode.OK, (await good.GetAsync("/api/preferences")).StatusCode);
    }

    [Fact]
    public async Task The_roles_claim_decides_admin_routes()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), Settings(issuer, ("Auth:SigningKey", null)));
        using var admin = Client(host, issuer.Sign(Audience, ApiClient.NewUserId("adm"), ["reader", "admin"]));
        using var reader = Client(host, issuer.Sign(Audience, ApiClient.NewUserId("usr"), ["reader"]));
        using var none = Client(host, issuer.Sign(Audience, ApiClient.NewUserId("usr")));

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/admin/stats?days=1")).StatusCode);
        foreach (var client in new[] { reader, none })
        {
            var response = await client.GetAsync("/api/admin/stats?days=1");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/preferences")).StatusCode);
        }
    }

    [Fact]
    public async Task A_configured_admin_role_and_the_oid_subject_are_honoured()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(),
            Settings(issuer, ("Auth:AdminRole", "CoachFunctions.Admin"), ("Auth:SubjectClaim", "oid")));
        var oid = Guid.NewGuid().ToString();
        using var appRole = Client(host, issuer.Sign(Audience, "pairwise-sub-1", ["CoachFunctions.Admin"], extra: new Dictionary<string, object> { ["oid"] = oid }));
        using var plainAdmin = Client(host, issuer.Sign(Audience, "pairwise-sub-2", ["admin"], extra: new Dictionary<string, object> { ["oid"] = oid }));
        using var noOid = Client(host, issuer.Sign(Audience, "pairwise-sub-3"));

        Assert.Equal(HttpStatusCode.OK, (await appRole.GetAsync("/api/admin/stats?days=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await plainAdmin.GetAsync("/api/admin/stats?days=1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await noOid.GetAsync("/api/preferences")).StatusCode);

        // Two tokens with different sub but the same oid are the same user.
        Assert.Equal(HttpStatusCode.OK, (await appRole.PutAsJsonAsync("/api/preferences", new { locale = "zh-CN" })).StatusCode);
        Assert.Equal("zh-CN", (await plainAdmin.GetFromJsonAsync<JsonElement>("/api/preferences")).GetProperty("locale").GetString());
    }

    [Fact]
    public async Task The_metadata_is_read_once_not_per_request()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync(), Settings(issuer));
        for (var i = 0; i < 3; i++)
        {
            using var http = Client(host, issuer.Sign(Audience, ApiClient.NewUserId("entra")));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/preferences")).StatusCode);
        }
        Assert.Equal(1, issuer.MetadataRequests);
    }

    [Fact]
    public void Settings_that_would_reject_every_token_fail_at_start_up()
    {
        Assert.Throws<InvalidOperationException>(() => new OidcOptions { Authority = "https://login.example/t/v2.0" }.Validate());
        Assert.Throws<InvalidOperationException>(() => new OidcOptions { Authority = "http://login.example/t/v2.0", Audience = "a" }.Validate());
        Assert.Throws<InvalidOperationException>(() => new OidcOptions { Authority = "https://login.example/t/v2.0", Audience = "a", SubjectClaim = "email" }.Validate());
        new OidcOptions { Authority = "https://login.example/t/v2.0", Audience = "a, b" }.Validate();
        Assert.Equal(["a", "b"], new OidcOptions { Audience = "a, b" }.Audiences());
    }

    private static HttpClient Client(AppHost host, string token) => new()
    {
        BaseAddress = host.BaseAddress,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };
}
