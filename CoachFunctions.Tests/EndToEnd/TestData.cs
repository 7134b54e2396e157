using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.EndToEnd;

/// <summary>
/// Puts prompts straight into a user's partition through the app's own store (what GeneratePrompt
/// would have stored), and reads the partition back, so tests can check exactly what was written.
/// </summary>
public static class TestData
{
    /// <summary>Preferences under which frequency control and quiet hours never get in a test's way.</summary>
    public static object Permissive(string locale = "en") => new
    {
        timeZone = "UTC",
        locale,
        maxPerDay = 20,
        maxPerHour = 10,
        minIntervalMinutes = 0,
        quietHours = new { enabled = false },
        enabledTypes = PromptTypes.All.ToArray(),
    };

    /// <summary>A daily check-in detection as ScanShard queues it, for the user's day at <paramref name="now"/> (in UTC unless <paramref name="zone"/>).</summary>
    public static string DailyCheckinDetection(string userId, DateTimeOffset now, TimeZoneInfo? zone = null)
    {
        var today = TimeZoneInfo.ConvertTime(now, zone ?? TimeZoneInfo.Utc).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return System.Text.Json.JsonSerializer.Serialize(new
        {
            userId,
            type = PromptTypes.DailyCheckin,
            priority = "high",
            confidence = 0.9,
            facts = new { localDate = today },
            dedupeKey = $"{PromptTypes.DailyCheckin}:{today}",
            detectedAt = now,
        });
    }

    public static async Task<CoachingPrompt> PromptAsync(AppHost host, string userId, string type, DetectionFacts? facts = null,
        string locale = "en", string state = PromptStates.Pending, DateTimeOffset? createdAt = null, DateTimeOffset? expiresAt = null, string? message = null)
    {
        var at = createdAt ?? DateTimeOffset.UtcNow;
        var key = $"{type}:test:{Guid.NewGuid():N}";
        facts ??= new DetectionFacts();
        var prompt = new CoachingPrompt
        {
            Id = PromptIds.Create(at, key),
            UserId = userId,
            Type = type,
            Priority = Priority.Medium,
            Confidence = 0.8,
            Title = "Test",
            Message = message ?? "A message from the coach, written for this test.",
            QuickReplies = QuickReplies.For(type, locale, facts),
            Locale = locale,
            Strategy = "template",
            DedupeKey = key,
            Facts = facts,
            CreatedAt = at,
            State = state,
            DeliverAt = at,
            ExpiresAt = expiresAt ?? at.AddDays(1),
        };
        var (stored, created) = await host.Services.GetRequiredService<PromptStore>().CreateAsync(prompt, CancellationToken.None);
        Assert.True(created);
        return stored;
    }

    public static DetectionFacts HabitFacts(string habitId, string name) => new()
    {
        HabitId = habitId,
        HabitName = name,
        MissedDays = 2,
        LocalDate = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"),
    };

    public static async Task<List<TableEntity>> RowsAsync(AppHost host, string userId, string? prefix = null)
    {
        var table = host.Services.GetRequiredService<StorageClients>().Table(StorageNames.UserDataTable);
        var rows = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {userId}")))
            if (prefix is null || e.RowKey!.StartsWith(prefix, StringComparison.Ordinal)) rows.Add(e);
        return rows;
    }

    /// <summary>Every row of the user's partition with its ETag: any write at all changes this.</summary>
    public static async Task<string> PartitionAsync(AppHost host, string userId) =>
        string.Join("\n", (await RowsAsync(host, userId)).Select(e => $"{e.RowKey} {e.ETag}").Order(StringComparer.Ordinal));

    public static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
}
