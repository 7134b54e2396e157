using System.Diagnostics.Metrics;
using System.Text.Json;
using CoachFunctions.Coaching;

namespace CoachFunctions.Telemetry;

/// <summary>
/// The app's measures (spec §7): one <see cref="Meter"/> named "CoachFunctions" for any metrics
/// listener or exporter, and the same figures added to <see cref="StatsAggregator"/> so the admin
/// stats survive restarts and add up across instances. One singleton; every method is thread-safe.
/// </summary>
public sealed class CoachMetrics
{
    public const string MeterName = "CoachFunctions";

    /// <summary>Response time buckets, 10 s to 30 min (spec §7).</summary>
    public static readonly IReadOnlyList<double> ResponseTimeBuckets = [10, 30, 60, 120, 300, 600, 900, 1200, 1800];

    /// <summary>LLM latency buckets, 100 ms to 30 s: generation has an 8 s budget, so the tail is what matters.</summary>
    public static readonly IReadOnlyList<double> LlmLatencyBuckets = [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30];

    private const int MaxTagLength = 64;

    private readonly StatsAggregator _aggregate;
    private readonly Counter<long> _generated;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _channelFailures;
    private readonly Counter<long> _transitions;
    private readonly Counter<long> _suppressed;
    private readonly Counter<long> _responded;
    private readonly Histogram<double> _responseTime;
    private readonly Counter<long> _llmRequests;
    private readonly Histogram<double> _llmLatency;
    private readonly Counter<long> _llmTokens;
    private readonly Counter<long> _llmFallbacks;
    private readonly Counter<long> _scanShards;
    private readonly Counter<long> _scanUsersRead;
    private readonly Counter<long> _scanUsersDue;
    private readonly Counter<long> _scanDetections;
    private readonly Counter<long> _scanTransactions;

    public CoachMetrics(IMeterFactory meters, StatsAggregator aggregate)
    {
        _aggregate = aggregate;
        Meter = meters.Create(new MeterOptions(MeterName));
        _generated = Meter.CreateCounter<long>("coach.prompts.generated", "{prompt}", "Prompts generated, by type, priority and strategy.");
        _delivered = Meter.CreateCounter<long>("coach.prompts.delivered", "{prompt}", "Prompts delivered, by channel and type.");
        _channelFailures = Meter.CreateCounter<long>("coach.channels.failures", "{failure}",
            "Channels given up on for a prompt (refused, or retries ran out), by channel and type; the next channel is tried.");
        _transitions = Meter.CreateCounter<long>("coach.prompts.transitions", "{transition}", "Prompt state changes, by new state.");
        _suppressed = Meter.CreateCounter<long>("coach.prompts.suppressed", "{prompt}", "Prompts not sent, by reason and type.");
        _responded = Meter.CreateCounter<long>("coach.responses", "{response}", "User responses, by prompt type and action.");
        _responseTime = Meter.CreateHistogram("coach.responses.time", "s", "Time from delivery to the user's response.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = ResponseTimeBuckets });
        _llmRequests = Meter.CreateCounter<long>("coach.llm.requests", "{request}",
            "Requests sent to the LLM, every attempt and caller, by outcome (answered, error, rate_limited, timeout).");
        _llmLatency = Meter.CreateHistogram("coach.llm.latency", "s", "Time to generate a prompt with the LLM, every attempt included.", null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = LlmLatencyBuckets });
        _llmTokens = Meter.CreateCounter<long>("coach.llm.tokens", "{token}", "LLM tokens used by prompt generation, by kind (prompt, completion).");
        _llmFallbacks = Meter.CreateCounter<long>("coach.llm.fallbacks", "{fallback}", "Generations that fell back to templates, by reason.");
        _scanShards = Meter.CreateCounter<long>("coach.scan.shards", "{shard}", "Scan shards completed.");
        _scanUsersRead = Meter.CreateCounter<long>("coach.scan.users_read", "{user}", "Users read by scans.");
        _scanUsersDue = Meter.CreateCounter<long>("coach.scan.users_due", "{user}", "Users due for a check when scanned.");
        _scanDetections = Meter.CreateCounter<long>("coach.scan.detections", "{detection}", "Detections found by scans.");
        _scanTransactions = Meter.CreateCounter<long>("coach.scan.storage_transactions", "{transaction}", "Storage transactions made by scans.");
    }

    public Meter Meter { get; }

    public void PromptGenerated(string type, Priority priority, string strategy)
    {
        type = Tag(type); strategy = Tag(strategy);
        var p = JsonNamingPolicy.SnakeCaseLower.ConvertName(priority.ToString());
        _generated.Add(1, new("type", type), new("priority", p), new("strategy", strategy));
        _aggregate.Record(s =>
        {
            DailyStats.Increment(s.GeneratedByType, type);
            DailyStats.Increment(s.GeneratedByPriority, p);
            DailyStats.Increment(s.GeneratedByStrategy, strategy);
        });
    }

    public void PromptDelivered(string channel, string type)
    {
        channel = Tag(channel); type = Tag(type);
        _delivered.Add(1, new("channel", channel), new("type", type));
        _aggregate.Record(s => DailyStats.Increment(s.DeliveredByChannel, channel));
    }

    /// <summary>A channel gave up on a prompt (it refused, or its retries ran out): the prompt moves to the next channel.</summary>
    public void ChannelFailed(string channel, string type)
    {
        channel = Tag(channel); type = Tag(type);
        _channelFailures.Add(1, new("channel", channel), new("type", type));
        _aggregate.Record(s => DailyStats.Increment(s.FailedByChannel, channel));
    }

    /// <summary>A prompt entered <paramref name="state"/>: delivered, seen, responded, dismissed, expired or failed.</summary>
    public void PromptStateChanged(string state)
    {
        state = Tag(state);
        _transitions.Add(1, new KeyValuePair<string, object?>("state", state));
        _aggregate.Record(s => DailyStats.Increment(s.Transitions, state));
    }

    public void PromptSuppressed(string reason, string type)
    {
        reason = Tag(reason); type = Tag(type);
        _suppressed.Add(1, new("reason", reason), new("type", type));
        _aggregate.Record(s => DailyStats.Increment(s.SuppressedByReason, reason));
    }

    public void PromptResponded(string type, string action, TimeSpan responseTime)
    {
        type = Tag(type); action = Tag(action);
        var seconds = Math.Max(0, responseTime.TotalSeconds);
        _responded.Add(1, new("type", type), new("action", action));
        _responseTime.Record(seconds, new("type", type), new("action", action));
        _aggregate.Record(s =>
        {
            DailyStats.Increment(s.ResponsesByAction, action);
            s.ResponseTime.Record(seconds);
        });
    }

    /// <summary>
    /// One request went to the LLM (any caller: a generation attempt or its retry, style distillation,
    /// the AI detector), answered or not. This is the figure to compare with the LLM's own count.
    /// </summary>
    public void LlmRequest(string outcome)
    {
        outcome = Tag(outcome);
        _llmRequests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        _aggregate.Record(s =>
        {
            s.LlmRequests++;
            DailyStats.Increment(s.LlmRequestsByOutcome, outcome);
        });
    }

    /// <summary>
    /// A prompt was generated by asking the LLM, however many requests that took and whether or not
    /// it then fell back to the template: its whole generation time and the tokens of all its attempts.
    /// </summary>
    public void LlmPromptGenerated(TimeSpan latency, int promptTokens, int completionTokens)
    {
        var seconds = Math.Max(0, latency.TotalSeconds);
        promptTokens = Math.Max(0, promptTokens);
        completionTokens = Math.Max(0, completionTokens);
        _llmLatency.Record(seconds);
        _llmTokens.Add(promptTokens, new KeyValuePair<string, object?>("kind", "prompt"));
        _llmTokens.Add(completionTokens, new KeyValuePair<string, object?>("kind", "completion"));
        _aggregate.Record(s =>
        {
            s.LlmPrompts++;
            s.LlmPromptTokens += promptTokens;
            s.LlmCompletionTokens += completionTokens;
            s.LlmLatency.Record(seconds);
        });
    }

    /// <summary>A generation fell back to templates: timeout, error, rate_limited or invalid_output.</summary>
    public void LlmFallback(string reason)
    {
        reason = Tag(reason);
        _llmFallbacks.Add(1, new KeyValuePair<string, object?>("reason", reason));
        _aggregate.Record(s => DailyStats.Increment(s.LlmFallbacks, reason));
    }

    public void ScanShardCompleted(int usersRead, int usersDue, int detections, int storageTransactions)
    {
        usersRead = Math.Max(0, usersRead); usersDue = Math.Max(0, usersDue);
        detections = Math.Max(0, detections); storageTransactions = Math.Max(0, storageTransactions);
        _scanShards.Add(1);
        _scanUsersRead.Add(usersRead);
        _scanUsersDue.Add(usersDue);
        _scanDetections.Add(detections);
        _scanTransactions.Add(storageTransactions);
        _aggregate.Record(s =>
        {
            s.ScanShards++;
            s.ScanUsersRead += usersRead;
            s.ScanUsersDue += usersDue;
            s.ScanDetections += detections;
            s.ScanStorageTransactions += storageTransactions;
        });
    }

    /// <summary>Tag values come from code, but a bad caller must not blow up cardinality or a stored row.</summary>
    private static string Tag(string? value)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v)) return "unknown";
        return v.Length > MaxTagLength ? v[..MaxTagLength] : v;
    }
}
