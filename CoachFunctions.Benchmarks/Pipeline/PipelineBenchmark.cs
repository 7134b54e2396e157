using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Functions.ScanShard;
using CoachFunctions.Storage;
using static CoachFunctions.Benchmarks.Pipeline.PipelineReport;

namespace CoachFunctions.Benchmarks.Pipeline;

/// <summary>
/// Issue 13: the pipeline from a queued detection to the SignalR push, then acks and answers, on the
/// local host and the app's worker against a private emulator. Exit code 1 when a prompt or a
/// follow-up is lost, doubled or pushed to someone else, or a request failed; 2 for bad arguments.
/// </summary>
public static class PipelineBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        PipelineOptions o;
        try
        {
            o = PipelineOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(PipelineOptions.Usage);
            return 2;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        var ct = cancel.Token;

        var now = DateTimeOffset.UtcNow;
        var zones = DaytimeZones(now);
        Header(o, zones);

        // Users by index: warm-up, then the cost phases, then the push latency phase.
        var warm = Enumerable.Range(0, o.Warmup).ToList();
        var cost = Enumerable.Range(o.Warmup, o.Users).ToList();
        var latency = Enumerable.Range(o.Warmup + o.Users, o.Connections).ToList();
        var population = new Population(o.Warmup + o.Users + o.Connections, 100, now, zones);

        // Seeding and checks go through clients of their own, never counted.
        var seedCounter = new RequestCounter();
        var seeding = new StorageClients(o.Connection, QueueMessageEncoding.Base64, seedCounter);
        var seeder = new Seeder(seeding, seedCounter, CoachingEngine.Default, parallelism: 8);
        await seeder.ResetAsync(ct);
        await ResetQueuesAsync(seeding, ct);
        var seed = await seeder.SeedAsync(population, now, ct);
        Line($"seeded {N(seed.Users)} users in {F(seed.Elapsed.TotalSeconds, 1)} s ({N(seed.Transactions)} transactions, not counted below): " +
             $"two daily habits, two weeks of check-ins, one habit missed three days running; the engine plans a prompt for {N(seed.DueByEngine.Count)}");
        var detections = Enumerable.Range(0, population.Users).ToDictionary(i => i, i => Phases.DetectionFor(population, i, now));
        Line($"each user gets the detection the engine plans first: {string.Join(", ", detections.Values.GroupBy(d => d.Type).Select(g => $"{g.Key} ×{N(g.Count())}"))}");

        var wire = new WireLog();
        await using var app = await PipelineApp.StartAsync(o.Connection, wire, ct);
        var bench = new StorageClients(o.Connection, QueueMessageEncoding.Base64, wire.PolicyFor(WireSource.Bench));
        var benchBootstrap = new StorageBootstrap(bench);
        await benchBootstrap.EnsureAsync(ct);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.HttpParallelism * 2 }) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var phases = new Phases(wire, new DetectionQueue(bench, benchBootstrap), http, o);
        var hostBaseline = Memory.SelfResidentBytes;
        Line($"app started on {app.BaseAddress}; this process {Mb(hostBaseline)} resident before any client");
        Line();

        var checks = new Checks();
        PhaseResult prompts, acks, answers;
        CeilingResult ceiling;
        await using (var fleet = ClientFleet.Start(app.SignalRConnectionString))
        {
            var connected = await fleet.ConnectAsync("bench-", 0, o.Warmup + o.Users, o.ConnectParallelism, ct);
            Line($"clients for the warm-up and cost phases: {N(connected.Ok)} connected, {connected.Failed} failed, in {F(connected.Elapsed.TotalSeconds, 1)} s");
            await phases.SignInAsync(warm.Concat(cost).Select(Population.UserId), ct);

            if (warm.Count > 0)
            {
                var warmed = await RunCostPhasesAsync("warm-up", warm, detections, phases, fleet, checks, ct);
                Line($"[warm-up] {warm.Count} users through prompt, ack and answer (not reported: first calls compile code and fill pools); {F(warmed.Prompts.PerUnit)} transactions per prompt");
                Line();
            }
            // The ceiling runs right after the prompts, in the same run, with the prompts' own mix and peak concurrency.
            var measured = await RunCostPhasesAsync("cost", cost, detections, phases, fleet, checks, ct,
                afterPrompts: p => RunCeilingAsync(o, p, cost, ct));
            (prompts, acks, answers, ceiling) = (measured.Prompts, measured.Acks, measured.Answers, measured.Ceiling!);
            var status = await fleet.StatusAsync(ct);
            checks.Connections("cost-phase clients", connected.Ok + connected.Failed, status);
        }
        Phase(prompts);
        PrintCeiling("ceiling after the cost prompts", ceiling);
        Phase(acks);
        Phase(answers);

        // Push latency with K clients, then hold up to H connections.
        Percentiles sentToReceived, enqueuedToReceived;
        PhaseResult latencyPhase;
        CeilingResult latencyCeiling;
        long hostAtK, hostAtH, clientsAtH;
        (int Open, int Dropped, int Failed) held;
        int fdsHost, fdsClients;
        await using (var fleet = ClientFleet.Start(app.SignalRConnectionString))
        {
            var connected = await fleet.ConnectAsync("bench-", latency[0], latency.Count, o.ConnectParallelism, ct);
            hostAtK = Memory.SelfResidentBytes;
            Line($"[latency] {N(connected.Ok)} clients connected ({connected.Failed} failed) in {F(connected.Elapsed.TotalSeconds, 1)} s; this process {Mb(hostAtK)} resident, clients process {Mb(fleet.ResidentBytes)}");
            var (phase, enqueuedAt) = await phases.PromptsAsync("latency", latency.ToDictionary(Population.UserId, i => detections[i]), fleet, ct);
            latencyPhase = phase;
            latencyCeiling = await RunCeilingAsync(o, phase, latency, ct);
            var pushes = fleet.Pushes.Where(p => enqueuedAt.ContainsKey(p.UserId) && p.ReplyTo is null).ToList();
            checks.Pushes("latency prompts", latency.Select(Population.UserId), pushes);
            sentToReceived = Percentiles.Of(pushes.Where(p => p.SentAtTicks > 0).Select(p => (p.ReceivedAtTicks - p.SentAtTicks) / 10_000.0));
            enqueuedToReceived = Percentiles.Of(pushes.Select(p => (p.ReceivedAtTicks - enqueuedAt[p.UserId]) / 10_000.0));
            Line($"[latency] {N(pushes.Count)} pushes to {N(connected.Ok)} connections: sent → received p50/p90/p99/max {sentToReceived.Ms}; " +
                 $"detection enqueued → received {enqueuedToReceived.Ms}; {F(phase.UnitsPerSecond, 1)} prompts/s, {F(phase.PerUnit)} transactions per prompt");

            var extra = Math.Max(0, o.HoldConnections - connected.Ok);
            var more = extra == 0 ? (Ok: 0, Failed: 0, Elapsed: TimeSpan.Zero) : await fleet.ConnectAsync("idle-", 0, extra, o.ConnectParallelism, ct);
            Line($"[hold] {N(more.Ok)} more connected ({more.Failed} failed) in {F(more.Elapsed.TotalSeconds, 1)} s; holding {o.HoldSeconds} s");
            await Task.Delay(TimeSpan.FromSeconds(o.HoldSeconds), ct);
            held = await fleet.StatusAsync(ct);
            hostAtH = Memory.SelfResidentBytes;
            clientsAtH = fleet.ResidentBytes;
            fdsHost = Memory.OpenFileDescriptors(Environment.ProcessId);
            fdsClients = Memory.OpenFileDescriptors(fleet.ProcessId);
            Line($"[hold] after {o.HoldSeconds} s: {N(held.Open)} open, {held.Dropped} dropped, {held.Failed} failed to connect; this process {Mb(hostAtH)} resident, " +
                 $"{fdsHost} open files; clients process {Mb(clientsAtH)}, {fdsClients} open files");
            checks.Connections("latency and hold clients", connected.Ok + connected.Failed + more.Ok + more.Failed, held);
        }
        Line();
        Phase(latencyPhase);
        PrintCeiling("ceiling after the latency prompts", latencyCeiling);

        await checks.StoredAsync(seeding, warm.Concat(cost).Select(Population.UserId), latency.Select(Population.UserId), ct);
        foreach (var p in new[] { prompts, acks, answers, latencyPhase }) checks.Failed(p);

        Summary(o, prompts, acks, answers, ceiling, latencyPhase, latencyCeiling, sentToReceived, enqueuedToReceived, held, hostBaseline, hostAtK, hostAtH);
        checks.Print();
        return checks.Ok ? 0 : 1;
    }

    private sealed record CostPhases(PhaseResult Prompts, PhaseResult Acks, PhaseResult Answers, CeilingResult? Ceiling);

    private static async Task<CostPhases> RunCostPhasesAsync(string name, IReadOnlyList<int> indices, IReadOnlyDictionary<int, Detection> detections,
        Phases phases, ClientFleet fleet, Checks checks, CancellationToken ct, Func<PhaseResult, Task<CeilingResult>>? afterPrompts = null)
    {
        var users = indices.Select(Population.UserId).ToList();
        var (prompts, _) = await phases.PromptsAsync($"{name}: prompts", indices.ToDictionary(Population.UserId, i => detections[i]), fleet, ct);
        var set = users.ToHashSet(StringComparer.Ordinal);
        var originals = fleet.Pushes.Where(p => set.Contains(p.UserId) && p.ReplyTo is null).ToList();
        checks.Pushes($"{name} prompts", users, originals);
        var ceiling = afterPrompts is null ? null : await afterPrompts(prompts);
        var promptByUser = originals.GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => g.First().PromptId, StringComparer.Ordinal);
        var acks = await phases.AcksAsync($"{name}: acks", promptByUser, ct);
        var answers = await phases.AnswersAsync($"{name}: answers", promptByUser, fleet, ct);
        var followUps = fleet.Pushes.Where(p => set.Contains(p.UserId) && p.ReplyTo is not null).ToList();
        checks.Pushes($"{name} follow-ups", promptByUser.Keys, followUps, p => promptByUser.TryGetValue(p.UserId, out var id) && p.ReplyTo == id);
        return new CostPhases(prompts, acks, answers, ceiling);
    }

    private static async Task<CeilingResult> RunCeilingAsync(PipelineOptions o, PhaseResult prompts, IReadOnlyList<int> users, CancellationToken ct)
    {
        var log = new WireLog();
        var clients = new StorageClients(o.Connection, QueueMessageEncoding.Base64, log.PolicyFor(WireSource.Bench));
        var mix = prompts.Ops.GroupBy(Ceiling.Key).ToDictionary(g => g.Key, g => (long)g.Count());
        return await new Ceiling(clients, log, users.Select(Population.UserId).ToList())
            .RunAsync(mix, Math.Max(1, prompts.PeakInFlight), TimeSpan.FromSeconds(o.CeilingSeconds), ct);
    }

    /// <summary>Whole-hour fixed-offset zones (Etc/GMT±N) where it is now between 10:00 and 16:00: daytime, out of quiet hours, before 21:00.</summary>
    private static IReadOnlyList<string> DaytimeZones(DateTimeOffset now)
    {
        var zones = new List<string>();
        foreach (var hours in Enumerable.Range(-12, 27))
        {
            var zone = hours == 0 ? "Etc/UTC" : $"Etc/GMT{(hours > 0 ? "-" : "+")}{Math.Abs(hours)}"; // IANA's Etc signs are inverted
            var local = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(zone));
            if (local.Hour is >= 10 and < 16) zones.Add(zone);
        }
        return zones;
    }

    private static async Task ResetQueuesAsync(StorageClients clients, CancellationToken ct)
    {
        foreach (var name in new[] { StorageNames.ScanShardsQueue, StorageNames.DetectionsQueue, StorageNames.DeliveriesQueue })
        {
            foreach (var queue in new[] { name, StorageNames.Poison(name) }.Select(clients.Queue))
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: ct);
                await queue.ClearMessagesAsync(ct);
            }
        }
    }

    private static void PrintCeiling(string name, CeilingResult c)
    {
        Line($"[{name}] {N(c.Transactions)} transactions in {F(c.Elapsed.TotalSeconds)} s with {c.Concurrency} at once = {F(c.PerSecond, 0)}/s " +
             $"(the phase's mix, count and mean time each: {string.Join(", ", c.ByKind.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {N(kv.Value)} {F(c.MeanMs[kv.Key], 1)} ms"))}{(c.Failures > 0 ? $"; {c.Failures} failed" : "")}); {Load()}");
        Line();
    }

    private static void Summary(PipelineOptions o, PhaseResult prompts, PhaseResult acks, PhaseResult answers, CeilingResult ceiling, PhaseResult latency, CeilingResult latencyCeiling,
        Percentiles sent, Percentiles enqueued, (int Open, int Dropped, int Failed) held, long baseline, long atK, long atH)
    {
        var share = prompts.TransactionsPerSecond / ceiling.PerSecond;
        string Met(bool met) => met ? "met" : "NOT met";
        var respondOnly = answers.Ops.Count(op => op.Function == "RespondToPrompt") / (double)answers.Units;
        Line("| figure | measured | goal |");
        Line("| --- | --- | --- |");
        Line($"| storage transactions per prompt, detection queued → pushed (and its messages deleted) | {F(prompts.PerUnit)} | ≤ {GoalPerPrompt:0}: {Met(prompts.PerUnit <= GoalPerPrompt)} |");
        Line($"| per answer: `POST respond` and its follow-up's delivery | {F(answers.PerUnit)} (the respond call itself {F(respondOnly)}) | ≤ {GoalPerAnswer:0}: {Met(answers.PerUnit <= GoalPerAnswer)} |");
        Line($"| per ack (`delivered`) | {F(acks.PerUnit)} | ≤ {GoalPerAck:0}: {Met(acks.PerUnit <= GoalPerAck)} |");
        Line($"| prompts per second, {N(prompts.Units)} detections queued at once | {F(prompts.UnitsPerSecond, 1)} ({F(prompts.TransactionsPerSecond, 0)} transactions/s) | |");
        Line($"| storage ceiling, the same mix at {ceiling.Concurrency} in flight | {F(ceiling.PerSecond, 0)} transactions/s | |");
        Line($"| pipeline ÷ ceiling | {F(share * 100, 0)}% | ≥ {GoalCeilingShare * 100:0}%: {Met(share >= GoalCeilingShare)} |");
        var latencyShare = latency.TransactionsPerSecond / latencyCeiling.PerSecond;
        Line($"| the same for the {N(latency.Units)} latency prompts | {F(latency.UnitsPerSecond, 1)} prompts/s, {F(latency.TransactionsPerSecond, 0)} ÷ {F(latencyCeiling.PerSecond, 0)} transactions/s = {F(latencyShare * 100, 0)}% | ≥ {GoalCeilingShare * 100:0}%: {Met(latencyShare >= GoalCeilingShare)} |");
        Line($"| push sent → received, p50 / p90 / p99 / max, {N(o.Connections)} connections | {sent.Ms} | p99 < {GoalP99Ms:0} ms: {Met(sent.P99 < GoalP99Ms)} |");
        Line($"| detection queued → push received, p50 / p90 / p99 / max | {enqueued.Ms} ({F(latency.UnitsPerSecond, 1)} prompts/s) | |");
        Line($"| connections held {o.HoldSeconds} s | {N(held.Open)} open, {held.Failed} failed, {held.Dropped} dropped | {N(o.HoldConnections)} with 0 failures: {Met(held.Open >= o.HoldConnections && held.Failed == 0 && held.Dropped == 0)} |");
        Line($"| host process resident memory (local host + worker) | {Mb(baseline)} idle, {Mb(atK)} at {N(o.Connections)} connections, {Mb(atH)} at {N(held.Open)} | |");
        Line();
    }

    /// <summary>What must hold for the run to count: every prompt and follow-up pushed once to its own user and stored once, no request failed.</summary>
    private sealed class Checks
    {
        private readonly List<string> _problems = [];
        private readonly List<string> _passed = [];

        public bool Ok => _problems.Count == 0;

        public void Pushes(string what, IEnumerable<string> users, IReadOnlyList<Push> pushes, Func<Push, bool>? belongs = null)
        {
            var expected = users.ToHashSet(StringComparer.Ordinal);
            var byUser = pushes.Where(p => expected.Contains(p.UserId)).GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => g.ToList());
            var lost = expected.Where(u => !byUser.ContainsKey(u)).ToList();
            var doubled = byUser.Where(kv => kv.Value.Count > 1).Select(kv => kv.Key).ToList();
            var foreign = pushes.Where(p => belongs is not null && !belongs(p)).ToList();
            if (lost.Count > 0) _problems.Add($"{what}: {lost.Count} LOST (e.g. {string.Join(", ", lost.Take(3))})");
            if (doubled.Count > 0) _problems.Add($"{what}: {doubled.Count} pushed more than once (e.g. {string.Join(", ", doubled.Take(3))})");
            if (foreign.Count > 0) _problems.Add($"{what}: {foreign.Count} pushes that are not the user's own (e.g. {foreign[0]})");
            if (lost.Count + doubled.Count + foreign.Count == 0) _passed.Add($"{what}: {byUser.Count} of {expected.Count} pushed exactly once");
        }

        public void Connections(string what, int attempted, (int Open, int Dropped, int Failed) status)
        {
            if (status.Failed > 0 || status.Dropped > 0) _problems.Add($"{what}: {status.Failed} failed to connect, {status.Dropped} dropped of {attempted}");
            else _passed.Add($"{what}: {status.Open} of {attempted} connected and held");
        }

        public void Failed(PhaseResult phase)
        {
            if (phase.Failures > 0) _problems.Add($"{phase.Name}: {phase.Failures} requests failed ({string.Join(" | ", phase.FailureSamples)})");
        }

        /// <summary>Every user's stored prompts (read once from the whole table, not counted): answered users one prompt and one follow-up, the others one prompt.</summary>
        public async Task StoredAsync(StorageClients clients, IEnumerable<string> answered, IEnumerable<string> promptedOnly, CancellationToken ct)
        {
            var stored = new Dictionary<string, (int Prompts, int FollowUps)>(StringComparer.Ordinal);
            var table = clients.Table(StorageNames.UserDataTable);
            await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {"prompt_"} and RowKey lt {"prompt`"}"), select: ["PartitionKey", "ReplyTo"], cancellationToken: ct))
            {
                var (p, f) = stored.GetValueOrDefault(e.PartitionKey!);
                stored[e.PartitionKey!] = e.GetString("ReplyTo") is null ? (p + 1, f) : (p, f + 1);
            }
            var wrong = new List<string>();
            foreach (var user in answered) if (stored.GetValueOrDefault(user) != (1, 1)) wrong.Add($"{user} {stored.GetValueOrDefault(user)}");
            foreach (var user in promptedOnly) if (stored.GetValueOrDefault(user) != (1, 0)) wrong.Add($"{user} {stored.GetValueOrDefault(user)}");
            if (wrong.Count > 0) _problems.Add($"stored prompts: {wrong.Count} users without exactly their prompt (and follow-up), as (prompts, follow-ups): {string.Join("; ", wrong.Take(5))}");
            else _passed.Add($"stored prompts: every user has exactly one prompt (and one follow-up when answered), {stored.Count} users");
        }

        public void Print()
        {
            foreach (var p in _passed) Line($"check: {p}");
            foreach (var p in _problems) Line($"CHECK FAILED: {p}");
            Line(Ok ? "result: every prompt and follow-up reached its own user exactly once" : "result: FAILED (see above): exit code 1");
        }
    }
}
