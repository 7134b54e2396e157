using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachFunctions.Tests.Storage;

/// <summary>
/// The app's own stores on the SDK clients against the shared Azurite, wired as the app wires them,
/// on a manual clock. Tests use fresh user ids, so they never see each other's rows.
/// </summary>
internal sealed class StoreHarness
{
    /// <summary>A Wednesday in March, daytime in UTC: no test depends on today's date.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 11, 12, 30, 0, TimeSpan.Zero);

    private StoreHarness(StorageClients clients)
    {
        Clients = clients;
        Bootstrap = new StorageBootstrap(clients);
        Summaries = new UserSummaries(clients, Bootstrap);
        Snapshots = new UserSnapshots(clients, Bootstrap, Summaries, CoachingEngine.Default, Time, NullLogger<UserSnapshots>.Instance);
        Users = new UserDataStore(clients, Bootstrap, Snapshots);
        Prompts = new PromptStore(clients, Bootstrap, Snapshots);
    }

    public ManualTimeProvider Time { get; } = new(Start);
    public StorageClients Clients { get; }
    public StorageBootstrap Bootstrap { get; }
    public UserSummaries Summaries { get; }
    public UserSnapshots Snapshots { get; }
    public UserDataStore Users { get; }
    public PromptStore Prompts { get; }

    public static async Task<StoreHarness> StartAsync(HttpPipelinePolicy? perRetryPolicy = null, QueueMessageEncoding encoding = QueueMessageEncoding.Base64) =>
        new(new StorageClients((await Azurite.SharedAsync()).ConnectionString, encoding, perRetryPolicy));

    /// <summary>The same on an emulator of the test's own, for tests that scan or read whole queues.</summary>
    public static StoreHarness On(Azurite azurite, HttpPipelinePolicy? perRetryPolicy = null) =>
        new(new StorageClients(azurite.ConnectionString, QueueMessageEncoding.Base64, perRetryPolicy));

    public static string NewUserId(string prefix = "store") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A prompt as GeneratePrompt would store it, created at <paramref name="at"/> (default: the clock's now).</summary>
    public CoachingPrompt Prompt(string userId, string? dedupeKey = null, DateTimeOffset? at = null, string state = PromptStates.Pending)
    {
        var created = at ?? Time.GetUtcNow();
        var key = dedupeKey ?? $"{PromptTypes.DailyCheckin}:{Guid.NewGuid():N}";
        return new CoachingPrompt
        {
            Id = PromptIds.Create(created, key),
            UserId = userId,
            Type = PromptTypes.DailyCheckin,
            Priority = Priority.High,
            Confidence = 0.9,
            Title = "Check in",
            Message = "How did today go?",
            QuickReplies = [new QuickReply("Good", "good")],
            Locale = "en",
            Strategy = "template",
            DedupeKey = key,
            Facts = new DetectionFacts { LocalDate = "2026-03-11" },
            CreatedAt = created,
            State = state,
            DeliverAt = created,
            ExpiresAt = created.AddHours(12),
        };
    }
}
