using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CoachFunctions.Benchmarks.Pipeline;

/// <summary>Who sent a storage request: the benchmark itself (as the scan would), the local host's queue clients, or the app's worker.</summary>
public enum WireSource { Bench, Host, Worker }

/// <summary>The kinds of storage transaction the pipeline issues; the ceiling loop replays the same mix.</summary>
public enum WireKind { PointRead, Query, Batch, EntityWrite, QueueSend, QueueReceive, QueueDelete, QueueUpdate, Other }

/// <summary>
/// One storage transaction on the wire (one HTTP attempt: retries are counted again): when it was sent,
/// by whom and inside which function invocation, what it was, and how it ended.
/// </summary>
public sealed record WireOp(long StartedAt, long EndedAt, WireSource Source, string? Function, long Invocation, WireKind Kind,
    string Resource, string Detail, int Status, int MessagesReturned)
{
    public bool IsTable => Kind is WireKind.PointRead or WireKind.Query or WireKind.Batch or WireKind.EntityWrite
                           || (Kind == WireKind.Other && Resource is "Tables");
}

/// <summary>
/// Records every storage request of the clients it is given to (an Azure.Core per-retry policy, one
/// instance per source), with the function invocation it ran in (<see cref="InvocationScope"/>), and
/// the number of requests in flight at once across all sources.
/// </summary>
public sealed class WireLog
{
    private readonly ConcurrentQueue<WireOp> _ops = new();
    private int _inFlight;
    private int _peakInFlight;

    public HttpPipelinePolicy PolicyFor(WireSource source) => new Policy(this, source);

    public IReadOnlyList<WireOp> Between(long from, long to) =>
        _ops.Where(o => o.StartedAt >= from && o.StartedAt <= to).OrderBy(o => o.StartedAt).ToList();

    public IReadOnlyList<WireOp> All => _ops.OrderBy(o => o.StartedAt).ToList();

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests in flight at once since the last <see cref="ResetPeak"/>.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    public void ResetPeak() => Interlocked.Exchange(ref _peakInFlight, Volatile.Read(ref _inFlight));

    public static long Now => Stopwatch.GetTimestamp();

    private sealed class Policy(WireLog log, WireSource source) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The benchmark's clients are used asynchronously only.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var scope = InvocationScope.Current;
            var started = Now;
            var inFlight = Interlocked.Increment(ref log._inFlight);
            int peak;
            while (inFlight > (peak = Volatile.Read(ref log._peakInFlight)) && Interlocked.CompareExchange(ref log._peakInFlight, inFlight, peak) != peak) { }
            var (kind, resource, detail) = Classify(message.Request);
            try
            {
                await ProcessNextAsync(message, pipeline);
            }
            finally
            {
                Interlocked.Decrement(ref log._inFlight);
                var status = message.HasResponse ? message.Response.Status : 0;
                var returned = kind == WireKind.QueueReceive && message.HasResponse ? CountMessages(message.Response) : 0;
                log._ops.Enqueue(new WireOp(started, Now, source, scope?.Function, scope?.Id ?? 0, kind, resource, detail, status, returned));
            }
        }
    }

    /// <summary>What a request is, from its method and URL (and, for a batch, which table its body names).</summary>
    internal static (WireKind Kind, string Resource, string Detail) Classify(Request request)
    {
        var method = request.Method.Method;
        var path = Uri.UnescapeDataString(request.Uri.Path);
        var query = Uri.UnescapeDataString(request.Uri.Query);
        // Path-style emulator URLs: /devstoreaccount1/<resource>[/...]
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var rest = segments.Length > 1 ? segments[1..] : segments;
        var first = rest.Length > 0 ? rest[0] : "";

        if (first == "$batch") return (WireKind.Batch, BatchTable(request), "");
        if (first.StartsWith("Tables", StringComparison.Ordinal)) return (WireKind.Other, "Tables", method);

        var paren = first.IndexOf('(');
        if (paren > 0)
        {
            var table = first[..paren];
            var keys = first[(paren + 1)..^1];
            if (keys.Length == 0) return (method == "GET" ? WireKind.Query : WireKind.Other, table, method == "GET" ? QueryDetail(query) : method);
            var rowKey = RowKeyOf(keys);
            return (method == "GET" ? WireKind.PointRead : WireKind.EntityWrite, table, method == "GET" ? rowKey : $"{method} {rowKey}");
        }
        if (char.IsUpper(first.FirstOrDefault()) && rest.Length == 1 && method == "POST") return (WireKind.EntityWrite, first, "POST insert");

        // Queues: /<queue>/messages[/<id>]
        if (rest.Length >= 2 && rest[1] == "messages")
        {
            return (method, rest.Length) switch
            {
                ("GET", 2) => (WireKind.QueueReceive, first, query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase) ? "peek" : ""),
                ("POST", 2) => (WireKind.QueueSend, first, ""),
                ("DELETE", 3) => (WireKind.QueueDelete, first, ""),
                ("PUT", 3) => (WireKind.QueueUpdate, first, ""),
                _ => (WireKind.Other, first, method),
            };
        }
        return (WireKind.Other, first, method);
    }

    /// <summary>A row key's kind: its prefix up to the first '_' (prompt_, dedupe_, habit_), or the whole key (preferences, learned).</summary>
    private static string RowKeyOf(string keys)
    {
        var at = keys.IndexOf("RowKey='", StringComparison.Ordinal);
        if (at < 0) return "";
        var key = keys[(at + 8)..].TrimEnd(')', '\'');
        var underscore = key.IndexOf('_');
        return underscore > 0 ? key[..(underscore + 1)] : key;
    }

    private static string QueryDetail(string query)
    {
        var at = query.IndexOf("RowKey ge '", StringComparison.Ordinal);
        if (at < 0) return query.Contains("NextDueAt", StringComparison.Ordinal) ? "due summaries" : "";
        var key = query[(at + 11)..];
        var end = key.IndexOf('\'');
        key = end >= 0 ? key[..end] : key;
        var underscore = key.IndexOf('_');
        return underscore > 0 ? key[..(underscore + 1)] : key;
    }

    private static string BatchTable(Request request)
    {
        if (request.Content is null) return "?";
        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer, CancellationToken.None);
        var text = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        foreach (var table in new[] { "UserData", "UserSummaries" })
            if (text.Contains("/" + table, StringComparison.Ordinal)) return table;
        return "?";
    }

    private static int CountMessages(Azure.Response response)
    {
        var text = response.Content.ToString();
        var count = 0;
        for (var at = text.IndexOf("<QueueMessage>", StringComparison.Ordinal); at >= 0; at = text.IndexOf("<QueueMessage>", at + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}

/// <summary>The function invocation the current code runs in (set by a worker middleware the benchmark adds), flowing with async calls.</summary>
public sealed record InvocationScope(string Function, long Id)
{
    private static readonly AsyncLocal<InvocationScope?> CurrentScope = new();
    private static long _next;

    public static InvocationScope? Current => CurrentScope.Value;

    public static InvocationScope Enter(string function)
    {
        var scope = new InvocationScope(function, Interlocked.Increment(ref _next));
        CurrentScope.Value = scope;
        return scope;
    }
}
