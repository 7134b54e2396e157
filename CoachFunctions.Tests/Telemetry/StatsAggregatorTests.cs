using CoachFunctions.Tests.Infrastructure;
using CoachFunctions.Telemetry;

namespace CoachFunctions.Tests.Telemetry;

public sealed class StatsAggregatorTests
{
    [Fact]
    public void Figures_go_to_the_UTC_day_they_happen_and_flushed_days_are_not_pending()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 23, 59, 0, TimeSpan.FromHours(-5))); // 2 March UTC
        var aggregate = new StatsAggregator(clock, "i1");
        aggregate.Record(s => s.ScanShards++);
        var first = Assert.Single(aggregate.Pending());
        Assert.Equal("20260302", first.Day);

        aggregate.MarkFlushed(first);
        Assert.Empty(aggregate.Pending());

        aggregate.Record(s => s.ScanShards++);                // changed again after the flush
        clock.Set(new DateTimeOffset(2026, 3, 3, 0, 0, 1, TimeSpan.Zero));
        aggregate.Record(s => s.ScanDetections += 4);
        var pending = aggregate.Pending().OrderBy(p => p.Day).ToList();
        Assert.Equal(["20260302", "20260303"], pending.Select(p => p.Day));
        Assert.Equal(2, pending[0].Totals.ScanShards);        // running totals, not increments
        Assert.Equal(4, pending[1].Totals.ScanDetections);

        foreach (var p in pending) aggregate.MarkFlushed(p);
        aggregate.Record(s => s.ScanShards++);
        var today = Assert.Single(aggregate.Pending());       // yesterday was written in full and dropped
        Assert.Equal("20260303", today.Day);
        Assert.Equal(1, today.Totals.ScanShards);
        Assert.Equal(4, today.Totals.ScanDetections);
    }

    [Fact]
    public void A_copy_taken_for_a_flush_is_not_changed_by_later_figures()
    {
        var aggregate = new StatsAggregator(new ManualTimeProvider(DateTimeOffset.UtcNow), "i1");
        aggregate.Record(s => DailyStats.Increment(s.Transitions, "delivered"));
        var copy = Assert.Single(aggregate.Pending());
        aggregate.Record(s => DailyStats.Increment(s.Transitions, "delivered"));
        aggregate.MarkFlushed(copy);
        Assert.Equal(1, copy.Totals.Transitions["delivered"]);
        Assert.Equal(2, Assert.Single(aggregate.Pending()).Totals.Transitions["delivered"]); // the newer change is still pending
    }

    [Fact]
    public void A_dimension_keeps_at_most_fifty_values_and_counts_the_rest_as_other()
    {
        var stats = new DailyStats();
        for (var i = 0; i < 60; i++) DailyStats.Increment(stats.SuppressedByReason, $"r{i}");
        Assert.Equal(DailyStats.MaxKeysPerDimension, stats.SuppressedByReason.Count);
        Assert.Equal(60, stats.SuppressedByReason.Values.Sum());
        Assert.Equal(11, stats.SuppressedByReason[DailyStats.OtherKey]);
    }
}
