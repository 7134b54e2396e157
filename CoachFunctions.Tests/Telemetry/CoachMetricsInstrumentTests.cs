using System.Diagnostics.Metrics;
using CoachFunctions.Coaching;
using CoachFunctions.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace CoachFunctions.Tests.Telemetry;

/// <summary>The instruments publish what the methods are given, with their tags, to any metrics listener.</summary>
public sealed class CoachMetricsInstrumentTests
{
    private sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);

    [Fact]
    public void Every_method_publishes_its_values_and_tags()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new CoachMetrics(services.GetRequiredService<IMeterFactory>(), new StatsAggregator(TimeProvider.System, "test"));
        var seen = new List<Measurement>();
        var instruments = new Dictionary<string, Instrument>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter != metrics.Meter) return; // other tests' meters share the name
            instruments[instrument.Name] = instrument;
            l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        listener.Start();

        metrics.PromptGenerated("habit_missed", Priority.High, "template");
        metrics.PromptDelivered("signalr", "habit_missed");
        metrics.PromptStateChanged("seen");
        metrics.PromptSuppressed("quiet_hours", "daily_checkin");
        metrics.PromptResponded("habit_missed", "complete_now", TimeSpan.FromSeconds(42));
        metrics.LlmPromptGenerated(TimeSpan.FromMilliseconds(1500), 120, 35);
        metrics.LlmFallback("timeout");
        metrics.LlmRequest("rate_limited");
        metrics.ScanShardCompleted(usersRead: 9, usersDue: 4, detections: 3, storageTransactions: 7);

        Assert.Equal(CoachMetrics.MeterName, metrics.Meter.Name);
        AssertOne("coach.prompts.generated", 1, ("type", "habit_missed"), ("priority", "high"), ("strategy", "template"));
        AssertOne("coach.prompts.delivered", 1, ("channel", "signalr"), ("type", "habit_missed"));
        AssertOne("coach.prompts.transitions", 1, ("state", "seen"));
        AssertOne("coach.prompts.suppressed", 1, ("reason", "quiet_hours"), ("type", "daily_checkin"));
        AssertOne("coach.responses", 1, ("type", "habit_missed"), ("action", "complete_now"));
        AssertOne("coach.responses.time", 42, ("type", "habit_missed"), ("action", "complete_now"));
        AssertOne("coach.llm.latency", 1.5);
        Assert.Equal([(120.0, "prompt"), (35.0, "completion")],
            seen.Where(m => m.Instrument == "coach.llm.tokens").Select(m => (m.Value, m.Tags["kind"])).ToList());
        AssertOne("coach.llm.fallbacks", 1, ("reason", "timeout"));
        AssertOne("coach.llm.requests", 1, ("outcome", "rate_limited"));
        AssertOne("coach.scan.shards", 1);
        AssertOne("coach.scan.users_read", 9);
        AssertOne("coach.scan.users_due", 4);
        AssertOne("coach.scan.detections", 3);
        AssertOne("coach.scan.storage_transactions", 7);

        var responseTime = Assert.IsType<Histogram<double>>(instruments["coach.responses.time"]);
        Assert.Equal("s", responseTime.Unit);
        Assert.Equal([10.0, 30, 60, 120, 300, 600, 900, 1200, 1800], responseTime.Advice!.HistogramBucketBoundaries!);
        Assert.Equal("s", instruments["coach.llm.latency"].Unit);
        Assert.NotNull(((Histogram<double>)instruments["coach.llm.latency"]).Advice?.HistogramBucketBoundaries);

        void Add(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (seen) seen.Add(new Measurement(i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString())));
        }

        void AssertOne(string name, double value, params (string Key, string Value)[] tags)
        {
            var m = Assert.Single(seen, m => m.Instrument == name);
            Assert.Equal(value, m.Value, 9);
            Assert.Equal(tags.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"), m.Tags.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"));
        }
    }

    [Fact]
    public void Empty_or_overlong_tag_values_are_bounded()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var aggregate = new StatsAggregator(TimeProvider.System, "test");
        var metrics = new CoachMetrics(services.GetRequiredService<IMeterFactory>(), aggregate);
        metrics.PromptSuppressed("", "x");
        metrics.PromptSuppressed(new string('r', 500), "x");
        var totals = Assert.Single(aggregate.Pending()).Totals;
        Assert.Equal(1, totals.SuppressedByReason["unknown"]);
        Assert.Equal(1, totals.SuppressedByReason[new string('r', 64)]);
    }
}
