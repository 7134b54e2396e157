using System.Net;
using System.Text.Json;
using CoachFunctions.Tests.EndToEnd;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Api;

/// <summary>
/// What the routes accept as display text: limits counted in text elements (51 emoji are 51
/// characters, not 102), and bidirectional overrides, embeddings and isolates stripped from what is
/// stored, so a name cannot reverse the text shown after it. The refusals are rows of
/// <see cref="HostileInputTests"/>.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class DisplayTextTests
{
    private static string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, n));

    [Fact]
    public async Task Emoji_names_are_counted_as_people_count_them()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("text"));

        foreach (var name in new[] { Repeat("😀", 51), Repeat("😀", 100), Repeat("👨‍👩‍👧‍👦", 100), Repeat("🇳🇵", 100), "跑步 🏃" })
        {
            var created = await CreatedAsync(user, "/api/habits", new { name });
            Assert.Equal(name, created.GetProperty("name").GetString());
        }
        var id = (await CreatedAsync(user, "/api/habits", new { name = "Walk" })).GetProperty("id").GetString();
        var edited = await user.JsonAsync(HttpMethod.Put, $"/api/habits/{id}", new { name = Repeat("😀", 51) });
        Assert.Equal(Repeat("😀", 51), edited.GetProperty("name").GetString());

        var listed = (await user.JsonAsync(HttpMethod.Get, "/api/habits")).GetProperty("items").EnumerateArray().Select(h => h.GetProperty("name").GetString()).ToList();
        Assert.Equal(2, listed.Count(n => n == Repeat("😀", 51)));
    }

    [Fact]
    public async Task Bidirectional_controls_are_stripped_from_what_is_stored()
    {
        await using var host = await AppHost.StartLocalAsync(await Azurite.SharedAsync());
        using var user = await ApiClient.SignInAsync(host, ApiClient.NewUserId("text"));
        await user.JsonAsync(HttpMethod.Put, "/api/preferences", TestData.Permissive());

        var created = await CreatedAsync(user, "/api/habits", new { name = "\u202Egnihtemos\u202C Stretch \u2066x\u2069" });
        Assert.Equal("gnihtemos Stretch x", created.GetProperty("name").GetString());
        var id = created.GetProperty("id").GetString();
        var edited = await user.JsonAsync(HttpMethod.Put, $"/api/habits/{id}", new { name = "\u202BRead\u202C" });
        Assert.Equal("Read", edited.GetProperty("name").GetString());
        Assert.Equal("Read", (await user.JsonAsync(HttpMethod.Get, "/api/habits")).GetProperty("items")[0].GetProperty("name").GetString());

        var instructions = Repeat("😀", 500) + "\u202E";
        var preferences = await user.JsonAsync(HttpMethod.Put, "/api/preferences", new { customInstructions = instructions });
        Assert.Equal(Repeat("😀", 500), preferences.GetProperty("customInstructions").GetString());

        // Hebrew with its right-to-left mark is ordinary text: the mark is not an override and stays.
        var hebrew = "שלום \u200Fכאן";
        preferences = await user.JsonAsync(HttpMethod.Put, "/api/preferences", new { customInstructions = hebrew });
        Assert.Equal(hebrew, preferences.GetProperty("customInstructions").GetString());

        var note = await CreatedAsync(user, "/api/events", new { kind = "progress", note = Repeat("🙂", 500) });
        Assert.Equal("progress", note.GetProperty("kind").GetString());
    }

    private static async Task<JsonElement> CreatedAsync(ApiClient user, string path, object body)
    {
        var response = await user.SendJsonAsync(HttpMethod.Post, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
