using System.Net;
using System.Text.Json;
using CoachFunctions.Coaching.Channels;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Channels.WeCom;

/// <summary>GET/PUT /api/admin/templates/{name} through the local host: admins only, validated, and what the WeCom text is rendered from.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class AdminTemplatesTests(WeComFixture f) : IClassFixture<WeComFixture>
{
    [Fact]
    public async Task An_admin_reads_the_default_replaces_it_and_the_next_wecom_text_follows_it()
    {
        using var admin = await f.SignInAsync("tpl-admin", "UTC", "admin");
        var initial = await admin.JsonAsync(HttpMethod.Get, "/api/admin/templates/wecom_miniprogram_title");
        Assert.True(initial.GetProperty("isDefault").GetBoolean());
        Assert.Equal("{title}", initial.GetProperty("text").GetString());
        Assert.Contains("{habitName}", initial.GetProperty("placeholders").EnumerateArray().Select(p => p.GetString()));

        var text = "Coach: {title} — {message} ({habitName}) {{ok}}";
        var put = await admin.JsonAsync(HttpMethod.Put, "/api/admin/templates/wecom_text", new { text });
        Assert.False(put.GetProperty("isDefault").GetBoolean());
        Assert.Equal(text, (await admin.JsonAsync(HttpMethod.Get, "/api/admin/templates/wecom_text")).GetProperty("text").GetString());

        using var user = await f.SignInAsync("tpl-user", TestZones.Daytime(f.Clock.GetUtcNow()));
        var ext = await f.LinkAsync(user);
        await f.WritesAsync(ext);
        Assert.Equal(ChannelResult.Sent, await f.SendAsync(user, habitName: "Evening walk"));
        var content = Assert.Single(f.Api.SentTo(ext)).GetProperty("text").GetProperty("content").GetString()!;
        Assert.StartsWith("Coach: ", content);
        Assert.EndsWith("(Evening walk) {ok}", content);
    }

    [Theory]
    [InlineData("""{"text":"{titel}"}""", "text")]
    [InlineData("""{"text":"{title"}""", "text")]
    [InlineData("""{"text":""}""", "text")]
    [InlineData("""{"text":"ok","extra":1}""", null)]
    [InlineData("""not json""", null)]
    public async Task A_bad_template_is_a_problem_and_nothing_is_stored(string body, string? field)
    {
        using var admin = await f.SignInAsync("tpl-bad", "UTC", "admin");
        var before = await admin.JsonAsync(HttpMethod.Get, "/api/admin/templates/wecom_miniprogram_title");
        var response = await admin.SendRawAsync(HttpMethod.Put, "/api/admin/templates/wecom_miniprogram_title", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        if (field is not null) Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(before.GetRawText(), (await admin.JsonAsync(HttpMethod.Get, "/api/admin/templates/wecom_miniprogram_title")).GetRawText());

        var tooLong = await admin.SendJsonAsync(HttpMethod.Put, "/api/admin/templates/wecom_miniprogram_title", new { text = new string('x', 65) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task Only_admins_and_only_known_templates()
    {
        using var user = await f.SignInAsync("tpl-nonadmin");
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/admin/templates/wecom_text")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.SendJsonAsync(HttpMethod.Put, "/api/admin/templates/wecom_text", new { text = "{title}" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.Anonymous.GetAsync("/api/admin/templates/wecom_text")).StatusCode);
        using var admin = await f.SignInAsync("tpl-admin2", "UTC", "admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/admin/templates/no_such_template")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendJsonAsync(HttpMethod.Put, "/api/admin/templates/no_such_template", new { text = "{title}" })).StatusCode);
    }
}
