using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.LocalHost;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Tests.Infrastructure;
using CoachFunctions.Tests.Storage;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CoachFunctions.Tests.Hosting;

/// <summary>
/// Issue 9: the app's real worker process, run by the local host as <c>scripts/run.sh</c> runs it, is
/// killed with SIGKILL at random instants while due-only scans (the ScanUsers timer, every 5 s, fanning
/// out ScanShard messages), prompt generation and deliveries are in flight; the host starts it again.
/// Whatever the instants, every due user ends with exactly one prompt for the moment (none lost, none
/// stored twice), sent, and no queue holds anything, poison queues included.
/// </summary>
/// <remarks>
/// <para>
/// Each seed has an Azurite of its own (whole queues and tables are inspected) and 40-60 fresh users,
/// about half of them due for a missed habit, the others for the daily check-in, each with only that
/// type enabled and quiet hours off, seeded through the app's stores in one wave per kill while the
/// worker runs. A <see cref="Random"/> of the seed picks the users, the number of kills (2 or 3) and
/// their instants: each aimed at the shard scans, generation or delivery of its wave, 0-200 ms into
/// the first invocation of that stage after the tick that scans the wave. At most 3 kills, so a
/// message that was in flight at every kill has still used only 3 of its 5 attempts (host.json
/// maxDequeueCount).
/// </para>
/// <para>
/// Independent of the date and time of day: the worker runs on the wall clock (no fake clock reaches
/// another process), so the users live in a fixed-offset zone (Etc/GMT±N, no DST) chosen from the wall
/// clock so that their local time is between 12:00 and 13:00 (<see cref="LocalMoment"/>), hours from
/// local midnight, inside the check-in's active hours (from 06:00, the preferred time set here, to
/// 21:00); their habits start four local days before that zone's local date, so two or more days are
/// missed whatever the date. A seed takes a minute at most, hours short of its users' local midnight.
/// </para>
/// <para>
/// Replay: each seed and its kill instants are printed. <c>FAULT_SEEDS=12,345</c> runs those seeds;
/// <c>FAULT_SEED_COUNT=20</c> runs 20 consecutive seeds from a random base (default 3, for CI).
/// </para>
/// </remarks>
[Collection(LocalHostCollection.Name)]
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    private const int MaxKills = 3;
    private const int TickSeconds = 5;
    private static readonly TimeSpan StagePatience = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private static readonly string[] WorkQueues = [StorageNames.ScanShardsQueue, StorageNames.DetectionsQueue, StorageNames.DeliveriesQueue];

    [Fact]
    public async Task Workers_killed_mid_scan_generation_and_delivery_lose_no_prompt_and_store_none_twice()
    {
        var seeds = Seeds();
        output.WriteLine($"Seeds {string.Join(",", seeds)} (replay: FAULT_SEEDS={string.Join(",", seeds)}).");
        var failures = new List<string>();
        var failedSeeds = new List<int>();
        var total = Stopwatch.StartNew();
        int kills = 0, users = 0;
        var failedInvocations = new Dictionary<string, int>();
        foreach (var seed in seeds)
        {
            var run = await RunSeedAsync(seed);
            kills += run.Kills;
            users += run.Users;
            foreach (var (function, count) in run.FailedInvocations) failedInvocations[function] = failedInvocations.GetValueOrDefault(function) + count;
            if (run.Problems.Count == 0) continue;
            failedSeeds.Add(seed);
            failures.Add($"seed {seed}:\n  " + string.Join("\n  ", run.Problems));
        }
        output.WriteLine($"{seeds.Count} seeds, {kills} kills, {users} users, {total.Elapsed.TotalSeconds:0} s; failed invocations: " +
                         $"{string.Join(", ", failedInvocations.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"))}; {failures.Count} seeds failed.");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {seeds.Count} seeds failed (replay: FAULT_SEEDS={string.Join(",", failedSeeds)}):\n" + string.Join("\n", failures));
    }

    private sealed record SeedRun(int Users, int Kills, IReadOnlyDictionary<string, int> FailedInvocations, IReadOnlyList<string> Problems);

    private sealed record DueUser(string UserId, string Type, string DedupeKey, DateOnly LocalDate);

    private async Task<SeedRun> RunSeedAsync(int seed)
    {
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        await using var azurite = await Azurite.StartDedicatedAsync();
        var s = StoreHarness.On(azurite);
        var (_, zone, info) = LocalMoment.At(new TimeOnly(12, 0));
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, info).DateTime);
        var kills = 2 + random.Next(MaxKills - 1);
        var waves = Users(random, kills, today);
        var problems = new List<string>();

        var log = new CapturedLog();
        await using var host = await FunctionsLocalHost.StartAsync(new LocalHostOptions
        {
            AppDirectory = AppBuild.Folder(),
            ListenUrl = "http://127.0.0.1:0",
            Settings = new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["ScanSchedule"] = $"*/{TickSeconds} * * * * *", // the timer's due-only scan, ticking while the worker dies
            },
            ConfigureLogging = l =>
            {
                if (Environment.GetEnvironmentVariable("COACH_TEST_LOGS") is null) l.ClearProviders();
                l.SetMinimumLevel(LogLevel.Warning).AddProvider(log);
            },
        });
        var started = clock.Elapsed;

        // One wave of users per kill, seeded between two ticks (just after one, unless there is time
        // enough before the next) so that a single tick scans all of it. A wave is done about 2 s after
        // its tick (ScanUsers ~0-0.2 s, ScanShard ~0.2-0.5 s, GeneratePrompt batches ~0.6-1.9 s,
        // DeliverPrompt ~1.3-2 s on a 2-core machine), and a message waiting for the next poll is not in
        // flight yet. So the seed picks the stage each kill aims at (ScanShard, GeneratePrompt or
        // DeliverPrompt): the kill comes at the first moment after the tick that an invocation of that
        // stage holds a message, then 0-200 ms into it. These delays place the kill; no assertion
        // depends on them.
        var instants = new List<string>();
        var seeding = TimeSpan.FromSeconds(3); // how long a wave takes to seed: the last one's, plus a margin
        for (var k = 0; k < kills; k++)
        {
            if (NextTick(DateTimeOffset.UtcNow) - DateTimeOffset.UtcNow < seeding)
                await Task.Delay(NextTick(DateTimeOffset.UtcNow) + TimeSpan.FromMilliseconds(100) - DateTimeOffset.UtcNow);
            var seedingStarted = DateTimeOffset.UtcNow;
            problems.AddRange(await SeedAsync(s, waves[k], zone));
            seeding = (DateTimeOffset.UtcNow - seedingStarted) * 1.5;
            // The tick that scans the wave, or the first of it if the seeding took longer than planned.
            var tick = NextTick(seedingStarted);
            var stage = WorkQueues[random.Next(WorkQueues.Length)];
            var into = TimeSpan.FromMilliseconds(random.Next(201));
            if (tick > DateTimeOffset.UtcNow) await Task.Delay(tick - DateTimeOffset.UtcNow);
            var busy = await InvocationRunsAsync(s, stage, StagePatience);
            var seen = DateTimeOffset.UtcNow - tick;
            if (busy) await Task.Delay(into);
            var pid = host.WorkerProcessId ?? throw new InvalidOperationException("No worker process to kill.");
            var failedBefore = log.Failed;
            var at = clock.Elapsed;
            using (var worker = Process.GetProcessById(pid))
            {
                worker.Kill(); // SIGKILL
                await worker.WaitForExitAsync();
            }
            var inFlight = await CountsAsync(s, WorkQueues);
            await Eventually.ValueAsync(() => Task.FromResult(host.WorkerProcessId is { } id && id != pid ? id : (int?)null), Patience, "the restarted worker process");
            using (var ready = new CancellationTokenSource(Patience)) await host.WaitForWorkerAsync(ready.Token);
            var failed = log.Failed.Select(f => (f.Key, Count: f.Value - failedBefore.GetValueOrDefault(f.Key))).Where(f => f.Count > 0).ToList();
            instants.Add($"wave {k + 1} ({waves[k].Count} users), aimed at {stage}: " +
                         $"{(busy ? $"first held at tick +{seen.TotalMilliseconds:0} ms, killed {into.TotalMilliseconds:0} ms later" : $"none held within {StagePatience.TotalSeconds:0} s, killed then")}, " +
                         $"{(at - started).TotalSeconds:0.000} s after start; " +
                         $"then in queues {string.Join(", ", inFlight.Select(q => $"{q.Key} {q.Value}"))}; " +
                         $"failed {(failed.Count == 0 ? "nothing" : string.Join(", ", failed.Select(f => $"{f.Key} {f.Count}")))}; ready again {(clock.Elapsed - at).TotalSeconds:0.0} s later");
        }
        var due = waves.SelectMany(w => w).ToList();
        var killed = clock.Elapsed;

        // Quiescent: nothing left in any work queue (invisible messages count on Azurite), every due user's prompt sent.
        var quiet = true;
        try
        {
            await Eventually.ValueAsync(async () =>
            {
                if ((await CountsAsync(s, WorkQueues)).Values.Sum() > 0) return (bool?)null;
                var sent = (await PromptsAsync(s)).Where(p => p.SentAt is not null).Select(p => p.UserId).ToHashSet();
                return due.All(u => sent.Contains(u.UserId)) ? true : null;
            }, Patience, "every queue empty and every due user's prompt sent");
        }
        catch (TimeoutException e)
        {
            quiet = false;
            problems.Add($"{e.Message} Queues: {string.Join(", ", (await CountsAsync(s, WorkQueues)).Select(q => $"{q.Key} {q.Value}"))}.");
        }

        var quiescent = clock.Elapsed;
        problems.AddRange(await CheckAsync(s, due, quiet));
        var poison = await CountsAsync(s, WorkQueues.Select(StorageNames.Poison));
        foreach (var (queue, count) in poison.Where(q => q.Value > 0))
        {
            var messages = (await s.Clients.Queue(queue).PeekMessagesAsync(32)).Value;
            problems.Add($"{queue} holds {count} messages: {string.Join(" | ", messages.Select(m => m.Body.ToString()))}");
        }
        if (problems.Count > 0)
            problems.Add("host and worker warnings and errors (why each invocation failed, and which messages went to poison):\n    " + string.Join("\n    ", log.Lines));

        var habit = due.Count(u => u.Type == PromptTypes.HabitMissed);
        output.WriteLine($"seed {seed}: {due.Count} users ({habit} habit_missed, {due.Count - habit} daily_checkin) in {zone}, local date {today:yyyy-MM-dd}; " +
                         $"{kills} kills; {log.Failed.Values.Sum()} failed invocations; {clock.Elapsed.TotalSeconds:0.0} s " +
                         $"(started {started.TotalSeconds:0.0} s, waves and kills {(killed - started).TotalSeconds:0.0} s, quiescent {(quiescent - killed).TotalSeconds:0.0} s); {(problems.Count == 0 ? "ok" : "FAILED")}");
        foreach (var instant in instants) output.WriteLine("  " + instant);
        foreach (var error in log.FunctionErrors) output.WriteLine("  failed, not by a kill (retried): " + error);
        foreach (var problem in problems) output.WriteLine("  problem: " + problem);
        return new SeedRun(due.Count, kills, log.Failed, problems);
    }

    /// <summary>40-60 fresh users in <paramref name="waves"/> waves, each due for one moment of its local day: a missed habit or the check-in.</summary>
    private static List<List<DueUser>> Users(Random random, int waves, DateOnly today)
    {
        var date = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var users = Enumerable.Range(0, 40 + random.Next(21)).Select(_ => random.Next(2) == 0
            ? new DueUser(StoreHarness.NewUserId("fault"), PromptTypes.HabitMissed, $"{PromptTypes.HabitMissed}:h1:{date}", today)
            : new DueUser(StoreHarness.NewUserId("fault"), PromptTypes.DailyCheckin, $"{PromptTypes.DailyCheckin}:{date}", today)).ToList();
        return users.Select((u, i) => (u, i)).GroupBy(x => x.i % waves, x => x.u).Select(g => g.ToList()).ToList();
    }

    /// <summary>
    /// Writes the users through the app's own stores (each write refreshes the summary, as the API's
    /// do), then checks that the engine, on the summary the scan reads, plans exactly their moment now
    /// (or that its prompt is made already).
    /// </summary>
    private static async Task<List<string>> SeedAsync(StoreHarness s, IReadOnlyList<DueUser> users, string zone)
    {
        s.Time.Set(DateTimeOffset.UtcNow);
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (user, ct) =>
        {
            await s.Users.SavePreferencesAsync(user.UserId, new UserPreferences
            {
                TimeZone = zone,
                PreferredTime = new TimeOnly(6, 0),
                EnabledTypes = [user.Type],
                QuietHours = QuietHours.Default with { Enabled = false },
            }, ct);
            if (user.Type == PromptTypes.HabitMissed)
                await s.Users.AddHabitAsync(user.UserId, new Habit("h1", "Stretching", HabitSchedule.Daily, user.LocalDate.AddDays(-4), true, s.Time.GetUtcNow().AddDays(-4)), ct);
        });
        var problems = new List<string>();
        foreach (var user in users)
        {
            var summary = await s.Summaries.GetAsync(user.UserId, default);
            // A tick during the seeding may already have made the prompt: then the summary lists it.
            if (summary?.Snapshot.RecentPrompts.Any(p => p.DedupeKey == user.DedupeKey) == true) continue;
            var planned = summary is { } row ? CoachingEngine.Default.Evaluate(row.Snapshot, s.Time.GetUtcNow()).Planned : [];
            if (planned.Count != 1 || planned[0].Detection.DedupeKey != user.DedupeKey || planned[0].Deferred)
                problems.Add($"seeded user {user.UserId} is not due for {user.DedupeKey} alone: {string.Join(", ", planned.Select(p => p.Detection.DedupeKey))}");
        }
        return problems;
    }

    /// <summary>Exactly one prompt per due user, for its moment, sent (pending) and known to the user's summary.</summary>
    private static async Task<List<string>> CheckAsync(StoreHarness s, IReadOnlyList<DueUser> due, bool quiet)
    {
        var problems = new List<string>();
        var prompts = (await PromptsAsync(s)).ToLookup(p => p.UserId);
        foreach (var user in due)
        {
            var mine = prompts[user.UserId].ToList();
            if (mine.Count != 1)
            {
                problems.Add($"user {user.UserId} ({user.Type}) has {mine.Count} prompts: {string.Join(", ", mine.Select(p => $"{p.Id} {p.DedupeKey} {p.State}"))}");
                continue;
            }
            var prompt = mine[0];
            if (prompt.Type != user.Type || prompt.DedupeKey != user.DedupeKey)
                problems.Add($"user {user.UserId}: prompt {prompt.Id} is {prompt.Type} {prompt.DedupeKey}, expected {user.Type} {user.DedupeKey}");
            if (prompt.SentAt is null || prompt.State != PromptStates.Pending)
                problems.Add($"user {user.UserId}: prompt {prompt.Id} is {prompt.State}, sent at {prompt.SentAt?.ToString("O") ?? "never"}");
            if (quiet && (await s.Summaries.GetAsync(user.UserId, default))?.Snapshot.RecentPrompts.Any(r => r.Id == prompt.Id) != true)
                problems.Add($"user {user.UserId}: the summary does not list prompt {prompt.Id} ({prompt.DedupeKey})");
        }
        var strangers = prompts.Where(g => due.All(u => u.UserId != g.Key)).Select(g => g.Key).ToList();
        if (strangers.Count > 0) problems.Add($"prompts for users nobody seeded: {string.Join(", ", strangers)}");
        return problems;
    }

    /// <summary>Every prompt row in the emulator: one query over the whole table.</summary>
    private static async Task<List<CoachingPrompt>> PromptsAsync(StoreHarness s)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey ge {RowKeys.PromptPrefix} and RowKey lt {RowKeys.End(RowKeys.PromptPrefix)}");
        var prompts = new List<CoachingPrompt>();
        await foreach (var e in s.Clients.Table(StorageNames.UserDataTable).QueryAsync<TableEntity>(filter)) prompts.Add(EntityMapping.ToPrompt(e));
        return prompts;
    }

    /// <summary>
    /// Waits, at most <paramref name="patience"/>, for a moment an invocation holds one of the queue's
    /// messages: the queue counts it, but it is invisible (leased), so a peek does not return it.
    /// </summary>
    private static async Task<bool> InvocationRunsAsync(StoreHarness s, string queue, TimeSpan patience)
    {
        var client = s.Clients.Queue(queue);
        var deadline = DateTime.UtcNow + patience;
        do
        {
            var count = (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            if (count > 0 && (count >= 32 || count > (await client.PeekMessagesAsync(32)).Value.Length)) return true;
            await Task.Delay(10);
        } while (DateTime.UtcNow < deadline);
        return false;
    }

    /// <summary>Messages in each queue, visible or not (exact on Azurite); a queue not created yet holds none.</summary>
    private static async Task<Dictionary<string, int>> CountsAsync(StoreHarness s, IEnumerable<string> queues)
    {
        var counts = new Dictionary<string, int>();
        foreach (var queue in queues)
        {
            try
            {
                counts[queue] = (await s.Clients.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                counts[queue] = 0;
            }
        }
        return counts;
    }

    /// <summary>The timer's next occurrence after <paramref name="now"/>.</summary>
    private static DateTimeOffset NextTick(DateTimeOffset now) => DateTimeOffset.FromUnixTimeSeconds((now.ToUnixTimeSeconds() / TickSeconds + 1) * TickSeconds);

    private static IReadOnlyList<int> Seeds()
    {
        if (Environment.GetEnvironmentVariable("FAULT_SEEDS") is { Length: > 0 } list)
            return list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList();
        var count = Environment.GetEnvironmentVariable("FAULT_SEED_COUNT") is { Length: > 0 } n ? int.Parse(n, CultureInfo.InvariantCulture) : 3;
        var first = Random.Shared.Next(1, 1_000_000);
        return Enumerable.Range(first, count).ToList();
    }

    /// <summary>The local host's warnings and errors (its own and the worker's, which it relays): why an invocation failed.</summary>
    private sealed class CapturedLog : ILoggerProvider
    {
        private static readonly System.Text.RegularExpressions.Regex FailedInvocation = new(@"^Executed 'Functions\.(\w+)' \(Failed,");
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly ConcurrentDictionary<string, int> _failed = new();

        public IEnumerable<string> Lines => _lines;

        /// <summary>Failed invocations whose error is not the worker going away: the function itself threw.</summary>
        public ConcurrentQueue<string> FunctionErrors { get; } = new();

        /// <summary>Failed invocations so far, by function.</summary>
        public Dictionary<string, int> Failed => new(_failed);

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private void Add(LogLevel level, string category, string message, Exception? exception)
        {
            if (FailedInvocation.Match(message) is { Success: true } failed)
            {
                _failed.AddOrUpdate(failed.Groups[1].Value, 1, (_, n) => n + 1);
                if (!message.EndsWith("disconnected.", StringComparison.Ordinal)) FunctionErrors.Enqueue(message);
            }
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {level} {category}: {message}";
            if (exception is not null) line += $" [{exception.GetType().Name}: {exception.Message.Split('\n')[0]}]";
            _lines.Enqueue(line);
            while (_lines.Count > 500) _lines.TryDequeue(out _);
        }

        private sealed class Logger(CapturedLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) log.Add(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
