using CoachFunctions.Coaching;
using CoachFunctions.Functions.ScanShard;
using CoachFunctions.Functions.ScanUsers;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Scan;

/// <summary>
/// The optional AI detector: off by default (the model is never asked), and when on it proposes a
/// timing for a user the rules left silent, only among the user's enabled types, and "none" or an
/// unusable answer proposes nothing. Real OpenAI SDK against the loopback fake; a dedicated Azurite.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class AiDetectorTests
{
    [Fact]
    public async Task Off_by_default_the_model_is_never_asked()
    {
        await using var chat = await FakeChatServer.StartAsync();
        await using var azurite = await Azurite.StartDedicatedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite, Llm(chat));
        var userId = await SeedSilentUserAsync(host);

        var scan = await ScanAllAsync(host, userId);

        Assert.DoesNotContain(scan.Detections, d => d.UserId == userId);
        Assert.Empty(chat.Requests);
    }

    [Fact]
    public async Task When_enabled_it_proposes_only_enabled_types_and_none_means_nothing()
    {
        await using var chat = await FakeChatServer.StartAsync();
        await using var azurite = await Azurite.StartDedicatedAsync();
        var settings = Llm(chat);
        settings["Coaching:AiDetector:Enabled"] = "true";
        await using var host = await AppHost.StartLocalAsync(azurite, settings);
        var userId = await SeedSilentUserAsync(host);

        chat.EnqueueAnswer("progress_stalled", "Three habits, none done this week.");
        var proposed = Assert.Single((await ScanAllAsync(host, userId)).Detections, d => d.UserId == userId);
        Assert.Equal(PromptTypes.ProgressStalled, proposed.Type);
        Assert.Equal(Priority.Low, proposed.Priority);
        Assert.StartsWith("progress_stalled:ai:", proposed.DedupeKey);
        var request = Assert.Single(chat.Requests);
        Assert.Contains("<user_data>", request.User);
        Assert.Contains("Juggling", request.User); // the habit name travels fenced as data

        chat.EnqueueAnswer("silent_period", "Not enabled for this user.");
        Assert.DoesNotContain((await ScanAllAsync(host, userId)).Detections, d => d.UserId == userId);
        chat.EnqueueAnswer("none", "Nothing would help now.");
        Assert.DoesNotContain((await ScanAllAsync(host, userId)).Detections, d => d.UserId == userId);
        chat.EnqueueStatus(500);
        Assert.DoesNotContain((await ScanAllAsync(host, userId)).Detections, d => d.UserId == userId);
    }

    private static Dictionary<string, string?> Llm(FakeChatServer chat) => new()
    {
        ["Llm:Provider"] = "openai-compatible",
        ["Llm:Endpoint"] = chat.V1.ToString(),
        ["Llm:Model"] = "fake-model",
    };

    /// <summary>A user the rules have nothing for: only progress_stalled enabled, a habit started today.</summary>
    private static async Task<string> SeedSilentUserAsync(AppHost host)
    {
        var users = host.Services.GetRequiredService<UserDataStore>();
        var userId = ApiClient.NewUserId("ai");
        await users.SavePreferencesAsync(userId, new UserPreferences { EnabledTypes = [PromptTypes.ProgressStalled], QuietHours = QuietHours.Default with { Enabled = false } }, default);
        await users.AddHabitAsync(userId, new Habit(Guid.NewGuid().ToString("N"), "Juggling", HabitSchedule.Daily,
            DateOnly.FromDateTime(DateTime.UtcNow), true, DateTimeOffset.UtcNow), default);
        return userId;
    }

    private static Task<ShardScanResult> ScanAllAsync(AppHost host, string userId) =>
        host.Services.GetRequiredService<ShardScanner>().ScanAsync(new ScanShardRequest(UserSummaries.ShardOf(userId), DateTimeOffset.UtcNow, All: true), default);
}
