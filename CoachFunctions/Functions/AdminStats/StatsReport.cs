using System.Text.Json.Serialization;
using CoachFunctions.Coaching;
using CoachFunctions.Telemetry;

namespace CoachFunctions.Functions.AdminStats;

/// <summary>What GET /api/admin/stats answers: the sums of every instance's rows for the days asked.</summary>
public sealed record StatsReport(
    int Days,
    string From,
    string To,
    int Rows,
    GeneratedStats Generated,
    IReadOnlyDictionary<string, long> Transitions,
    IReadOnlyDictionary<string, long> DeliveredByChannel,
    SuppressedStats Suppressed,
    ResponseStats Responses,
    LlmStats Llm,
    ScanStats Scan)
{
    /// <summary>Always listed, zero or not, so a chart has a stable set of series.</summary>
    public static readonly IReadOnlyList<string> ReportedStates =
        [PromptStates.Delivered, PromptStates.Seen, PromptStates.Responded, PromptStates.Dismissed, PromptStates.Expired, PromptStates.Failed];

    public static StatsReport Create(int days, string from, string to, int rows, DailyStats s)
    {
        var transitions = new Dictionary<string, long>(s.Transitions);
        foreach (var state in ReportedStates) transitions.TryAdd(state, 0);
        var delivered = transitions[PromptStates.Delivered];
        var responded = transitions[PromptStates.Responded];
        return new StatsReport(days, from, to, rows,
            new GeneratedStats(s.GeneratedByType.Values.Sum(), s.GeneratedByType, s.GeneratedByPriority, s.GeneratedByStrategy),
            transitions,
            s.DeliveredByChannel,
            new SuppressedStats(s.SuppressedByReason.Values.Sum(), s.SuppressedByReason),
            new ResponseStats(s.ResponseTime.Count, delivered == 0 ? null : (double)responded / delivered, s.ResponsesByAction,
                new Percentiles(s.ResponseTime.Quantile(0.5), s.ResponseTime.Quantile(0.9), s.ResponseTime.Quantile(0.99))),
            new LlmStats(s.LlmCalls, s.LlmFallbacks.Values.Sum(), s.LlmFallbacks,
                new TokenStats(s.LlmPromptTokens, s.LlmCompletionTokens, s.LlmPromptTokens + s.LlmCompletionTokens),
                s.LlmLatency.Count == 0 ? null : s.LlmLatency.Sum / s.LlmLatency.Count, s.LlmLatency.Quantile(0.95)),
            new ScanStats(s.ScanShards, s.ScanUsersRead, s.ScanUsersDue, s.ScanDetections, s.ScanStorageTransactions));
    }
}

public sealed record GeneratedStats(long Total, IReadOnlyDictionary<string, long> ByType, IReadOnlyDictionary<string, long> ByPriority,
    IReadOnlyDictionary<string, long> ByStrategy);

public sealed record SuppressedStats(long Total, IReadOnlyDictionary<string, long> ByReason);

/// <summary>Rate = responded ÷ delivered transitions (null when nothing was delivered); times in seconds from the histogram buckets.</summary>
// Figures that may be unknown are written as null rather than omitted, so clients need not guess.
public sealed record ResponseStats(long Count, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Rate, IReadOnlyDictionary<string, long> ByAction, Percentiles TimeSeconds);

public sealed record Percentiles([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? P50, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? P90, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? P99);

public sealed record TokenStats(long Prompt, long Completion, long Total);

public sealed record LlmStats(long Calls, long Fallbacks, IReadOnlyDictionary<string, long> FallbacksByReason, TokenStats Tokens,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? LatencyAverageSeconds, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? LatencyP95Seconds);

public sealed record ScanStats(long Shards, long UsersRead, long UsersDue, long Detections, long StorageTransactions);
