using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Api;

/// <summary>
/// Time-zone ids in any letter case are stored as the canonical IANA id, whatever zones the process
/// has loaded; and a stored zone that cannot be resolved (an old row, typed before validation was
/// strict) never turns a request into a 500: the coach falls back to UTC for that user.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class TimeZoneInputTests
{
    [Theory]
    [InlineData("asia/kathmandu", "Asia/Kathmandu")]
    [InlineData("AMERICA/ARGENTINA/BUENOS_AIRES", "America/Argentina/Buenos_Aires")]
    [InlineData("etc/gmt+5", "Etc/GMT+5")]
    [InlineData("utc", "UTC")]
    public async Task A_zone_in_any_case_is_stored_canonical(string typed, string canonical)
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("tz"));

        var put = await user.SendJsonAsync(HttpMethod.Put, "/api/preferences", new { timeZone = typed });
        Assert.True(put.StatusCode == HttpStatusCode.OK, $"PUT {typed}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");

        Assert.Equal(canonical, (await user.JsonAsync(HttpMethod.Get, "/api/preferences")).GetProperty("timeZone").GetString());
        var row = await Table(host).GetEntityAsync<TableEntity>(user.UserId, RowKeys.Preferences);
        Assert.Equal(canonical, row.Value.GetString("TimeZone"));
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("asia/kathmandu")]
    [InlineData("W. Europe Standard Time")]
    [InlineData("")]
    public async Task A_stored_zone_that_cannot_be_resolved_is_never_a_500(string stored)
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("tz"));
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/preferences")).StatusCode); // creates the tables
        // Written to the table directly, as an older build (or a hand edit) would have left it.
        await Table(host).UpsertEntityAsync(new TableEntity(user.UserId, RowKeys.Preferences) { ["TimeZone"] = stored, ["Locale"] = "en" });

        var habit = await user.SendJsonAsync(HttpMethod.Post, "/api/habits", new { name = "Walk" });
        Assert.True(habit.StatusCode == HttpStatusCode.Created, $"POST /api/habits: {(int)habit.StatusCode} {await habit.Content.ReadAsStringAsync()}");
        var id = JsonDocument.Parse(await habit.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        var locale = await user.SendJsonAsync(HttpMethod.Put, "/api/preferences", new { locale = "zh-CN" });
        Assert.True(locale.StatusCode == HttpStatusCode.OK, $"PUT locale: {(int)locale.StatusCode} {await locale.Content.ReadAsStringAsync()}");

        var done = await user.SendJsonAsync(HttpMethod.Post, $"/api/habits/{id}/completions", new { });
        Assert.True(done.StatusCode == HttpStatusCode.Created, $"POST completion: {(int)done.StatusCode} {await done.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/preferences")).StatusCode);
    }

    private static TableClient Table(AppHost host) => host.Services.GetRequiredService<StorageClients>().Table(StorageNames.UserDataTable);
}
