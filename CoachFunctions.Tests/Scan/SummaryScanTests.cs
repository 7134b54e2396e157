using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Responses;
using CoachFunctions.Functions.ScanShard;
using CoachFunctions.Functions.ScanUsers;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Scan;

/// <summary>
/// The scan reads summaries, not history: every write keeps a user's summary current, the shard
/// query returns only users with something due, and a shard with nothing due costs one page read.
/// Each test has an Azurite of its own so it sees only its own users.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class SummaryScanTests
{
    [Fact]
    public async Task Writes_keep_the_summary_current_and_the_scan_reads_only_users_with_something_due()
    {
        await using var azurite = await Azurite.StartDedicatedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite);
        var users = host.Services.GetRequiredService<UserDataStore>();
        var summaries = host.Services.GetRequiredService<UserSummaries>();
        var scanner = host.Services.GetRequiredService<ShardScanner>();
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        // Due: a daily habit started three days ago and never done. Quiet: only habit_missed enabled, no habits.
        var due = PickUserIn("00", "due");
        await users.SavePreferencesAsync(due, new UserPreferences { QuietHours = QuietHours.Default with { Enabled = false }, EnabledTypes = [PromptTypes.HabitMissed] }, default);
        await users.AddHabitAsync(due, new Habit(Guid.NewGuid().ToString("N"), "Stretch", HabitSchedule.Daily, today.AddDays(-3), true, now), default);
        var quiet = PickUserIn("00", "quiet");
        await users.SavePreferencesAsync(quiet, new UserPreferences { EnabledTypes = [PromptTypes.HabitMissed] }, default);

        var dueSummary = (await summaries.GetAsync(due, default))!.Value.Snapshot;
        Assert.Single(dueSummary.Habits);
        Assert.NotNull(dueSummary.LastActivityAt);

        var tick = DateTimeOffset.UtcNow;
        var first = await scanner.ScanAsync(new ScanShardRequest("00", tick), default);
        Assert.Equal(1, first.UsersRead); // the quiet user is not even read
        Assert.Contains(first.Detections, d => d.UserId == due && d.Type == PromptTypes.HabitMissed);
        Assert.Equal(3, first.StorageTransactions); // one page, the detection queued, then the next-due update

        // The scan moved the due user's next check forward: the same tick again reads nobody, for one page read.
        var second = await scanner.ScanAsync(new ScanShardRequest("00", tick), default);
        Assert.Equal(0, second.UsersRead);
        Assert.Empty(second.Detections);
        Assert.Equal(1, second.StorageTransactions);

        // "all" judges everyone regardless of their next check (an operator's full re-scan).
        var all = await scanner.ScanAsync(new ScanShardRequest("00", tick, All: true), default);
        Assert.Equal(2, all.UsersRead);
    }

    [Fact]
    public async Task Concurrent_writes_for_one_user_all_end_up_in_the_summary()
    {
        await using var azurite = await Azurite.StartDedicatedAsync();
        await using var host = await AppHost.StartLocalAsync(azurite);
        var users = host.Services.GetRequiredService<UserDataStore>();
        var summaries = host.Services.GetRequiredService<UserSummaries>();
        var snapshots = host.Services.GetRequiredService<UserSnapshots>();
        var userId = ApiClient.NewUserId("race");
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var habits = Enumerable.Range(0, 6).Select(i => new Habit(Guid.NewGuid().ToString("N"), $"Habit {i}", HabitSchedule.Daily, today.AddDays(-10), true, now)).ToList();
        foreach (var h in habits) await users.AddHabitAsync(userId, h, default);

        // Six completions at once, each refreshing the summary: whoever read older data loses its conditional write and rebuilds.
        await Task.WhenAll(habits.Select(h => users.TryAddCompletionAsync(userId, new HabitCompletion(h.Id, today), now, default)));

        var summary = (await summaries.GetAsync(userId, default))!.Value.Snapshot;
        foreach (var h in habits) Assert.Contains(today, summary.CompletionsOf(h.Id));
        var truth = await snapshots.LoadAsync(userId, summary.FirstSeenAt, default);
        Assert.Equal(truth.Habits.Select(h => h.Id).Order(), summary.Habits.Select(h => h.Id).Order());
        Assert.Equal(truth.LastProgressAt, summary.LastProgressAt);
    }

    private static string PickUserIn(string shard, string name)
    {
        while (true)
        {
            var id = ApiClient.NewUserId(name);
            if (UserSummaries.ShardOf(id) == shard) return id;
        }
    }
}
