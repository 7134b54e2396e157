using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Functions.ScanShard;
using CoachFunctions.Storage;

namespace CoachFunctions.Benchmarks.Pipeline;

/// <summary>
/// One measured phase: the storage transactions inside its window (from its first request to the
/// last one the work caused), those that ran meanwhile but belong to something else (idle polls of
/// queues the phase does not use, the worker's stats flush, queue creation), and its timings.
/// </summary>
public sealed record PhaseResult(string Name, string Unit, int Units, IReadOnlyList<WireOp> Ops, IReadOnlyList<WireOp> Background,
    DateTimeOffset StartedAt, DateTimeOffset DoneAt, TimeSpan Window, int PeakInFlight, int Failures, IReadOnlyList<string> FailureSamples)
{
    public double PerUnit => Units == 0 ? 0 : (double)Ops.Count / Units;

    /// <summary>First request to the last unit done (a push received, an HTTP answer).</summary>
    public TimeSpan Elapsed => DoneAt - StartedAt;

    public double UnitsPerSecond => Units / Elapsed.TotalSeconds;

    public double TransactionsPerSecond => Ops.Count / Window.TotalSeconds;

    /// <summary>Requests in flight on average over the window (the time all of them took, over the window).</summary>
    public double MeanInFlight => Window.TotalSeconds <= 0 ? 0
        : Ops.Sum(o => (double)(o.EndedAt - o.StartedAt)) / System.Diagnostics.Stopwatch.Frequency / Window.TotalSeconds;
}

/// <summary>
/// The phases on a running app: queue one detection per user and wait for every push; acknowledge
/// every prompt; answer every prompt and wait for every follow-up push. Each phase's storage
/// transactions are cut from the <see cref="WireLog"/> by time.
/// </summary>
public sealed class Phases(WireLog wire, DetectionQueue detections, HttpClient http, PipelineOptions options)
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public static readonly string[] PromptQueues = [StorageNames.DetectionsQueue, StorageNames.DeliveriesQueue];
    public static readonly string[] AnswerQueues = [StorageNames.DeliveriesQueue];

    /// <summary>Development sign-in tokens for the users (the local host mints them; no storage).</summary>
    public async Task SignInAsync(IEnumerable<string> users, CancellationToken ct) =>
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = options.HttpParallelism, CancellationToken = ct }, async (user, token) =>
        {
            using var response = await http.PostAsync("/api/dev/token", new StringContent(JsonSerializer.Serialize(new { userId = user }), Encoding.UTF8, "application/json"), token);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(token);
            _tokens[user] = body.GetProperty("accessToken").GetString()!;
        });

    /// <summary>Queues each user's detection (16 at a time, as 16 shard scans would) and waits until each user has received a prompt.</summary>
    public async Task<(PhaseResult Result, IReadOnlyDictionary<string, long> EnqueuedAt)> PromptsAsync(string name, IReadOnlyDictionary<string, Detection> byUser,
        ClientFleet fleet, CancellationToken ct)
    {
        var users = byUser.Keys.ToHashSet(StringComparer.Ordinal);
        var enqueuedAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        wire.ResetPeak();
        var from = WireLog.Now;
        var startedAt = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(byUser, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (pair, token) =>
        {
            enqueuedAt[pair.Key] = DateTimeOffset.UtcNow.UtcTicks;
            await detections.SendAsync(pair.Value, token);
        });
        var (doneAt, missing) = await WaitForPushesAsync(fleet, users, p => p.ReplyTo is null, ct);
        var peak = wire.PeakInFlight;
        await SettleAsync(from, PromptQueues, ct);
        return (Cut(name, "prompt", users.Count, from, startedAt, doneAt, peak, PromptQueues, missing.Count, Missing(missing)), enqueuedAt);
    }

    /// <summary>POST /api/prompts/{id}/ack {"status":"delivered"} for each user's prompt, as a client does on receipt.</summary>
    public async Task<PhaseResult> AcksAsync(string name, IReadOnlyDictionary<string, string> promptByUser, CancellationToken ct)
    {
        var failures = new ConcurrentQueue<string>();
        wire.ResetPeak();
        var from = WireLog.Now;
        var startedAt = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(promptByUser, new ParallelOptions { MaxDegreeOfParallelism = options.HttpParallelism, CancellationToken = ct }, async (pair, token) =>
        {
            var (status, body) = await PostAsync(pair.Key, $"/api/prompts/{pair.Value}/ack", new { status = "delivered" }, token);
            if (status != 200) failures.Enqueue($"ack {pair.Key}: {status} {body}");
        });
        var doneAt = DateTimeOffset.UtcNow;
        var peak = wire.PeakInFlight;
        return Cut(name, "ack", promptByUser.Count, from, startedAt, doneAt, peak, [], failures.Count, failures.Take(5).ToList());
    }

    /// <summary>POST /api/prompts/{id}/respond {"value":"complete_now"} for each user's prompt, then waits for every follow-up push.</summary>
    public async Task<PhaseResult> AnswersAsync(string name, IReadOnlyDictionary<string, string> promptByUser, ClientFleet fleet, CancellationToken ct)
    {
        var failures = new ConcurrentQueue<string>();
        var answered = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        wire.ResetPeak();
        var from = WireLog.Now;
        var startedAt = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(promptByUser, new ParallelOptions { MaxDegreeOfParallelism = options.HttpParallelism, CancellationToken = ct }, async (pair, token) =>
        {
            var (status, body) = await PostAsync(pair.Key, $"/api/prompts/{pair.Value}/respond", new { value = QuickReplies.CompleteNow }, token);
            if (status == 200) answered[pair.Key] = pair.Value;
            else failures.Enqueue($"respond {pair.Key}: {status} {body}");
        });
        var (doneAt, missing) = await WaitForPushesAsync(fleet, answered.Keys.ToHashSet(StringComparer.Ordinal), p => p.ReplyTo is { } r && answered.TryGetValue(p.UserId, out var id) && r == id, ct);
        var peak = wire.PeakInFlight;
        await SettleAsync(from, AnswerQueues, ct);
        return Cut(name, "answer", promptByUser.Count, from, startedAt, doneAt, peak, AnswerQueues, failures.Count + missing.Count, [.. failures.Take(5), .. Missing(missing)]);
    }

    private async Task<(int Status, string Body)> PostAsync(string user, string path, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens[user]);
        using var response = await http.SendAsync(request, ct);
        return ((int)response.StatusCode, response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>How long the pushes may stop coming before the rest count as lost.</summary>
    public static readonly TimeSpan Stall = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Waits until every user has a matching push, however long the pipeline takes, unless no new one
    /// arrives for <see cref="Stall"/> (the checks at the end then name who is missing); returns when
    /// the last one arrived.
    /// </summary>
    private static async Task<(DateTimeOffset DoneAt, IReadOnlyList<string> Missing)> WaitForPushesAsync(ClientFleet fleet, IReadOnlySet<string> users,
        Func<Push, bool> match, CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var progressAt = DateTimeOffset.UtcNow;
        long last = 0;
        while (seen.Count < users.Count && DateTimeOffset.UtcNow - progressAt < Stall)
        {
            await Task.Delay(20, ct);
            foreach (var push in fleet.Pushes)
            {
                if (!users.Contains(push.UserId) || !match(push) || !seen.Add(push.UserId)) continue;
                last = Math.Max(last, push.ReceivedAtTicks);
                progressAt = DateTimeOffset.UtcNow;
            }
        }
        return (last == 0 ? DateTimeOffset.UtcNow : new DateTimeOffset(last, TimeSpan.Zero), users.Where(u => !seen.Contains(u)).ToList());
    }

    private static IReadOnlyList<string> Missing(IReadOnlyList<string> users) =>
        users.Count == 0 ? [] : [$"{users.Count} not pushed after {Stall.TotalSeconds:0} s without progress (e.g. {string.Join(", ", users.Take(3))})"];

    /// <summary>
    /// Waits until the host has finished every message the phase queued: each one received has been
    /// deleted (or moved on), so the work's last transactions are inside the window.
    /// </summary>
    private async Task SettleAsync(long from, IReadOnlyList<string> queues, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var ops = wire.Between(from, WireLog.Now);
            if (queues.All(q => Deleted(ops, q) >= Sent(ops, q)) && wire.InFlight == 0) return;
            await Task.Delay(20, ct);
        }
        static long Sent(IReadOnlyList<WireOp> ops, string q) => ops.Count(o => o.Kind == WireKind.QueueSend && o.Resource == q && o.Status is >= 200 and < 300);
        static long Deleted(IReadOnlyList<WireOp> ops, string q) => ops.Count(o => o.Kind == WireKind.QueueDelete && o.Resource == q && o.Status is >= 200 and < 300);
    }

    /// <summary>The phase's transactions: from its first request to the last one that was work (not an idle poll), split from the background.</summary>
    private PhaseResult Cut(string name, string unit, int units, long from, DateTimeOffset startedAt, DateTimeOffset doneAt, int peak,
        IReadOnlyList<string> queues, int failures, IReadOnlyList<string> samples)
    {
        var all = wire.Between(from, WireLog.Now);
        var mine = all.Where(o => !IsBackground(o, queues)).ToList();
        var work = mine.Where(o => !(o.Kind == WireKind.QueueReceive && o.MessagesReturned == 0)).ToList();
        var to = work.Count == 0 ? from : work.Max(o => o.EndedAt);
        var ops = mine.Where(o => o.StartedAt <= to).ToList();
        var background = all.Where(o => IsBackground(o, queues) && o.StartedAt <= to).ToList();
        var window = TimeSpan.FromSeconds((double)(to - from) / System.Diagnostics.Stopwatch.Frequency);
        return new PhaseResult(name, unit, units, ops, background, startedAt, doneAt, window, peak, failures, samples);
    }

    /// <summary>
    /// Not the phase's doing: the host polling queues the phase does not use (the scan-shards trigger,
    /// detections during an answer), the worker's periodic stats flush (no invocation), queue or table creation.
    /// </summary>
    public static bool IsBackground(WireOp o, IReadOnlyList<string> queues) => o switch
    {
        { Kind: WireKind.Other } => true,
        { Source: WireSource.Worker, Function: null } => true,
        { Kind: WireKind.QueueSend or WireKind.QueueReceive or WireKind.QueueDelete or WireKind.QueueUpdate } =>
            !queues.Any(q => o.Resource == q || o.Resource == q + "-poison"),
        _ => false,
    };

    /// <summary>The detection the engine plans first for a seeded user: what the scan would queue.</summary>
    public static Detection DetectionFor(Population population, int index, DateTimeOffset now)
    {
        var snapshot = population.Rows(index).ToSnapshot(now);
        var evaluation = CoachingEngine.Default.Evaluate(snapshot, now);
        return evaluation.Planned.Count > 0
            ? evaluation.Planned[0].Detection
            : throw new InvalidOperationException($"The engine plans nothing for {snapshot.UserId} at {now:O}: the population is not due.");
    }
}
