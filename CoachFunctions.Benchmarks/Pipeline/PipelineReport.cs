using System.Globalization;
using System.Runtime.InteropServices;
using CoachFunctions.Storage;

namespace CoachFunctions.Benchmarks.Pipeline;

/// <summary>Latency percentiles (nearest rank) of a set of durations.</summary>
public sealed record Percentiles(int Count, double P50, double P90, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN);
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, At(0.50), At(0.90), At(0.99), sorted[^1]);
    }

    public string Ms => string.Create(CultureInfo.InvariantCulture, $"{P50:F1} / {P90:F1} / {P99:F1} / {Max:F1} ms");
}

/// <summary>Prints the pipeline benchmark: each phase's transactions step by step, then one table of every figure against the goals.</summary>
public static class PipelineReport
{
    public const double GoalPerPrompt = 8, GoalPerAnswer = 4, GoalPerAck = 2, GoalCeilingShare = 0.5, GoalP99Ms = 20;

    public static void Line(string text = "") => Console.WriteLine(text);

    public static string F(double value, int decimals = 2) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Mb(long bytes) => F(bytes / 1024.0 / 1024.0, 0) + " MB";

    public static void Header(PipelineOptions o, IReadOnlyList<string> zones)
    {
        Line("CoachFunctions pipeline benchmark (issue 13): detection → GeneratePrompt → DeliverPrompt → SignalR push, answers and acks");
        Line($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; open files limit {OpenFilesLimit()}; {Load()} at the start (the cores are shared: timings move with it)");
        Line($"storage: {Endpoint(o.Connection)} (emulator, shared by everything below); app: the local host and the app's worker in this process (pid {Environment.ProcessId}), SignalR clients in a child process");
        Line($"users: {N(o.Users)} for the cost phases, {N(o.Connections)} clients for push latency, {N(o.HoldConnections)} connections held {o.HoldSeconds} s; warm-up {o.Warmup} users; " +
             $"HTTP parallelism {o.HttpParallelism}; ceiling loop {o.CeilingSeconds} s; user zones {string.Join(", ", zones)} (daytime now)");
        Line("every transaction is an HTTP request counted on the wire by an Azure.Core policy on the app's StorageClients, the host's queue clients and the benchmark's own enqueue client (retries count again)");
        Line();
    }

    /// <summary>Prints a phase step by step; returns its per-unit figure.</summary>
    public static void Phase(PhaseResult phase)
    {
        var refresh = RefreshOps(phase.Ops);
        Line($"[{phase.Name}] {N(phase.Units)} {phase.Unit}s: {N(phase.Ops.Count)} transactions = {F(phase.PerUnit)} per {phase.Unit}; " +
             $"{F(phase.Elapsed.TotalSeconds)} s to the last {(phase.Unit == "ack" ? "answer" : "push")} ({F(phase.UnitsPerSecond, 1)} {phase.Unit}s/s), " +
             $"window {F(phase.Window.TotalSeconds)} s ({F(phase.TransactionsPerSecond, 0)} transactions/s), {F(phase.MeanInFlight, 1)} requests in flight on average, {phase.PeakInFlight} at most; {Load()}" +
             (phase.Failures > 0 ? $"; {phase.Failures} FAILED: {string.Join(" | ", phase.FailureSamples)}" : ""));
        const string format = "  {0,-78} {1,8} {2,10}";
        Line(string.Format(CultureInfo.InvariantCulture, format, "step", "count", $"per {phase.Unit}"));
        foreach (var group in phase.Ops.GroupBy(o => Label(o, refresh.Contains(o))).OrderBy(g => g.Min(o => Order(o, refresh.Contains(o)))).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var statuses = group.Where(o => o.Status is < 200 or >= 300).GroupBy(o => o.Status).Select(s => $"{s.Key}×{s.Count()}").ToList();
            var label = group.Key + (statuses.Count > 0 ? $" [{string.Join(", ", statuses)}]" : "");
            Line(string.Format(CultureInfo.InvariantCulture, format, label, N(group.Count()), F((double)group.Count() / phase.Units)));
        }
        var split = phase.Ops.GroupBy(o => Category(o, refresh.Contains(o))).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {F((double)g.Count() / phase.Units)}");
        Line($"  per {phase.Unit} by step: {string.Join("; ", split)}");
        var background = phase.Background.GroupBy(o => Label(o, false)).Select(g => $"{g.Key} ×{g.Count()}");
        Line($"  not counted (meanwhile, not this work): {(phase.Background.Count == 0 ? "nothing" : string.Join("; ", background))}");
        Line();
    }

    /// <summary>
    /// The summary refresh's transactions within each invocation: the partition range queries, the
    /// summary writes, and a summary read that is followed by a range query (the rebuild reads the
    /// summary's ETag first, then the partition).
    /// </summary>
    public static HashSet<WireOp> RefreshOps(IEnumerable<WireOp> ops)
    {
        var result = new HashSet<WireOp>(ReferenceEqualityComparer.Instance);
        foreach (var invocation in ops.Where(o => o.Source == WireSource.Worker && o.Invocation != 0).GroupBy(o => o.Invocation))
        {
            var list = invocation.OrderBy(o => o.StartedAt).ToList();
            for (var i = 0; i < list.Count; i++)
            {
                var o = list[i];
                var isSummary = o.Resource == StorageNames.UserSummariesTable;
                if ((o.Kind == WireKind.Query && o.Resource == StorageNames.UserDataTable)
                    || (isSummary && o.Kind is WireKind.EntityWrite or WireKind.Batch)
                    || (isSummary && o.Kind == WireKind.PointRead && i + 1 < list.Count && list[i + 1].Kind == WireKind.Query))
                    result.Add(o);
            }
        }
        return result;
    }

    public static string Label(WireOp o, bool refresh)
    {
        switch (o.Source)
        {
            case WireSource.Bench:
                return o.Kind == WireKind.QueueSend ? $"benchmark (as the scan does): queue a detection on {o.Resource}" : $"benchmark: {Describe(o)}";
            case WireSource.Host:
                return o.Kind switch
                {
                    WireKind.QueueReceive => $"host: poll {o.Resource} ({(o.MessagesReturned > 0 ? "got messages" : "empty")})",
                    WireKind.QueueDelete => $"host: delete a finished {o.Resource} message",
                    WireKind.QueueSend => o.Resource.EndsWith("-poison", StringComparison.Ordinal) ? $"host: move a message to {o.Resource}" : $"host: send the queue output to {o.Resource}",
                    WireKind.QueueUpdate => $"host: update a {o.Resource} message (lease renewal or release)",
                    _ => $"host: {Describe(o)}",
                };
            default:
                return $"{o.Function ?? "worker, outside any invocation"}: {(refresh ? "summary refresh: " : "")}{Describe(o)}";
        }
    }

    private static string Describe(WireOp o) => o.Kind switch
    {
        WireKind.PointRead when o.Resource == StorageNames.UserSummariesTable => "point read UserSummaries (the user's summary)",
        WireKind.PointRead => $"point read {o.Resource}({o.Detail})",
        WireKind.Query => $"range query {o.Resource}({o.Detail})",
        WireKind.Batch => $"entity group transaction {o.Resource}",
        WireKind.EntityWrite when o.Resource == StorageNames.UserSummariesTable => $"write UserSummaries ({o.Detail.Split(' ')[0]})",
        WireKind.EntityWrite => $"write {o.Resource}({o.Detail})",
        WireKind.QueueSend => $"send to {o.Resource}",
        WireKind.QueueReceive => $"receive from {o.Resource}",
        WireKind.QueueDelete => $"delete from {o.Resource}",
        WireKind.QueueUpdate => $"update a message of {o.Resource}",
        _ => $"{o.Kind} {o.Resource} {o.Detail}",
    };

    /// <summary>The issue's split: each function's reads and writes, the summary refresh, queue operations.</summary>
    public static string Category(WireOp o, bool refresh)
    {
        if (o.Kind is WireKind.QueueSend or WireKind.QueueReceive or WireKind.QueueDelete or WireKind.QueueUpdate)
            return o.Source == WireSource.Worker ? $"{o.Function} queue sends" : o.Source == WireSource.Host ? "host queue operations" : "detection enqueue";
        var function = o.Function ?? "worker";
        if (refresh) return $"{function} summary refresh";
        return o.Kind is WireKind.PointRead or WireKind.Query ? $"{function} reads" : $"{function} writes";
    }

    private static int Order(WireOp o, bool refresh) => o.Source switch
    {
        WireSource.Bench => 0,
        WireSource.Host when o.Resource.StartsWith("detections", StringComparison.Ordinal) => 1,
        WireSource.Worker when o.Function == "GeneratePrompt" => refresh ? 3 : 2,
        WireSource.Host when o.Resource.StartsWith("deliveries", StringComparison.Ordinal) && o.Kind == WireKind.QueueSend => 4,
        WireSource.Worker when o.Function is "AckPrompt" or "RespondToPrompt" => refresh ? 3 : 2,
        WireSource.Host when o.Resource.StartsWith("deliveries", StringComparison.Ordinal) => 5,
        WireSource.Worker when o.Function == "DeliverPrompt" => refresh ? 7 : 6,
        _ => 9,
    };

    /// <summary>The machine's 1-minute load average (/proc/loadavg): other work on the same cores slows every timing here.</summary>
    public static string Load()
    {
        try { return "load " + File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "load ?"; }
    }

    public static string OpenFilesLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            return line is null ? "?" : string.Join(" / ", line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2)) + " (soft / hard)";
        }
        catch (IOException) { return "?"; }
    }

    private static string Endpoint(string connection) =>
        connection.Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].Equals("TableEndpoint", StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1]).FirstOrDefault() ?? "UseDevelopmentStorage (127.0.0.1:10002)";
}
