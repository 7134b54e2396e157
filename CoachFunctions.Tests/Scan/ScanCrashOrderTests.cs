using Azure.Core;
using Azure.Core.Pipeline;
using CoachFunctions.Coaching;
using CoachFunctions.Functions.ScanShard;
using CoachFunctions.Functions.ScanUsers;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using CoachFunctions.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachFunctions.Tests.Scan;

/// <summary>
/// Issue 9, defect 1: a scan must never move a user's next-due instant before that user's
/// detections are durably queued, or a crash in between loses the user's prompt for the day (the
/// re-run scan finds nobody due). Here the queue refuses the send, as a crash or an outage would
/// leave it, on an Azurite of the test's own.
/// </summary>
public sealed class ScanCrashOrderTests
{
    [Fact]
    public async Task A_user_whose_detection_was_not_queued_stays_due_and_the_next_scan_queues_it()
    {
        var gate = new QueueSendGate { Refuse = true };
        await using var azurite = await Azurite.StartDedicatedAsync();
        var s = StoreHarness.On(azurite, gate);
        var userId = StoreHarness.NewUserId("crash");
        await SeedMissedHabitAsync(s, userId);
        var shard = UserSummaries.ShardOf(userId);
        var tick = new ScanShardRequest(shard, StoreHarness.Start);
        var scanner = new ShardScanner(s.Summaries, new DetectionQueue(s.Clients, s.Bootstrap), CoachingEngine.Default, NullLogger<ShardScanner>.Instance);

        var refused = await scanner.ScanAsync(tick, default);

        Assert.DoesNotContain(refused.Detections, d => d.UserId == userId);
        Assert.True(await IsDueAsync(s, shard, userId), "the user was advanced although the detection never reached the queue");

        gate.Refuse = false;
        var retried = await scanner.ScanAsync(tick, default);

        var detection = Assert.Single(retried.Detections, d => d.UserId == userId);
        Assert.Equal(PromptTypes.HabitMissed, detection.Type);
        var queued = (await s.Clients.Queue(StorageNames.DetectionsQueue).PeekMessagesAsync(32)).Value;
        Assert.Contains(queued, m => m.Body.ToString().Contains(userId) && m.Body.ToString().Contains(detection.DedupeKey));
        Assert.False(await IsDueAsync(s, shard, userId), "once queued, the user moves on to the next check");
    }

    private static async Task SeedMissedHabitAsync(StoreHarness s, string userId)
    {
        var today = DateOnly.FromDateTime(StoreHarness.Start.UtcDateTime);
        await s.Users.SavePreferencesAsync(userId, new UserPreferences
        {
            EnabledTypes = [PromptTypes.HabitMissed],
            QuietHours = QuietHours.Default with { Enabled = false },
        }, default);
        await s.Users.AddHabitAsync(userId, new Habit("h1", "Stretching", HabitSchedule.Daily, today.AddDays(-4), true, StoreHarness.Start.AddDays(-4)), default);
    }

    private static async Task<bool> IsDueAsync(StoreHarness s, string shard, string userId)
    {
        await foreach (var page in s.Summaries.QueryDueAsync(shard, StoreHarness.Start, all: false, default))
            if (page.Any(row => row.Snapshot.UserId == userId)) return true;
        return false;
    }

    /// <summary>Refuses every message sent to a queue (what a crash before the send, or an outage, leaves); tables pass.</summary>
    private sealed class QueueSendGate : HttpPipelinePolicy
    {
        public volatile bool Refuse;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Check(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Check(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Check(HttpMessage message)
        {
            if (Refuse && message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal))
                throw new InvalidOperationException("The queue is unreachable (test).");
        }
    }
}
