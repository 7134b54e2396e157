using CoachFunctions.Telemetry;

namespace CoachFunctions.Tests.Telemetry;

public sealed class BucketCountsTests
{
    [Fact]
    public void Values_land_in_the_bucket_whose_upper_bound_holds_them()
    {
        var b = BucketCounts.For([10, 30, 60]);
        foreach (var v in new[] { 0, 10, 10.5, 30, 59, 60, 61, 5000 }) b.Record(v);
        Assert.Equal([2, 2, 2, 2], b.Counts);
        Assert.Equal(8, b.Count);
        Assert.Equal(0 + 10 + 10.5 + 30 + 59 + 60 + 61 + 5000, b.Sum);
    }

    [Fact]
    public void Quantiles_interpolate_within_the_bucket_like_prometheus()
    {
        var b = BucketCounts.For(CoachMetrics.ResponseTimeBuckets);
        for (var i = 0; i < 10; i++) b.Record(45); // all in (30, 60]
        Assert.Equal(45, b.Quantile(0.5)!.Value, 9);
        Assert.Equal(57, b.Quantile(0.9)!.Value, 9);
        Assert.Equal(59.7, b.Quantile(0.99)!.Value, 9);

        var spread = BucketCounts.For([10, 20]);
        spread.Record(5); spread.Record(15); spread.Record(15); spread.Record(15); // 1 in (0,10], 3 in (10,20]
        Assert.Equal(10 + 10 * (1.0 / 3), spread.Quantile(0.5)!.Value, 9);   // rank 2: first of the three above 10
        Assert.Equal(5, spread.Quantile(0.125)!.Value, 9);                  // rank 0.5 in the first bucket, from 0
    }

    [Fact]
    public void The_open_top_bucket_answers_the_last_bound_and_empty_answers_null()
    {
        var b = BucketCounts.For([10, 30]);
        Assert.Null(b.Quantile(0.5));
        b.Record(1000);
        Assert.Equal(30, b.Quantile(0.99));
    }

    [Fact]
    public void Rows_with_other_bounds_still_add_up_by_upper_bound()
    {
        var ours = BucketCounts.For([10, 60, 600]);
        var older = BucketCounts.For([10, 30, 60]);
        foreach (var v in new[] { 5, 20, 50, 100 }) older.Record(v);
        ours.Record(300);
        ours.Add(older);
        Assert.Equal([1, 2, 1, 1], ours.Counts); // 5 → ≤10; 20 and 50 → ≤60; 100 (older's open bucket) → ours open; 300 → ≤600
        Assert.Equal(5, ours.Count);
        Assert.Equal(475, ours.Sum);
    }
}
