namespace CoachFunctions.Telemetry;

/// <summary>
/// A histogram's running totals with fixed upper bounds: bucket i counts values in
/// (Bounds[i-1], Bounds[i]], the last bucket everything above the last bound, the same buckets
/// the meter's explicit-bucket advice asks exporters for.
/// </summary>
public sealed class BucketCounts
{
    public double[] Bounds { get; set; } = [];
    public long[] Counts { get; set; } = [];
    public long Count { get; set; }
    public double Sum { get; set; }

    public static BucketCounts For(IReadOnlyList<double> bounds) => new() { Bounds = [.. bounds], Counts = new long[bounds.Count + 1] };

    public void Record(double value)
    {
        var i = 0;
        while (i < Bounds.Length && value > Bounds[i]) i++;
        Counts[i]++;
        Count++;
        Sum += value;
    }

    /// <summary>
    /// Adds another instance's totals. Rows written with other bounds (an older version) still add
    /// up: each of their buckets lands in ours that holds its upper bound.
    /// </summary>
    public void Add(BucketCounts other)
    {
        Count += other.Count;
        Sum += other.Sum;
        if (Bounds.Length == 0 && Counts.Length == 0)
        {
            Bounds = [.. other.Bounds];
            Counts = [.. other.Counts];
            return;
        }
        if (other.Bounds.AsSpan().SequenceEqual(Bounds) && other.Counts.Length == Counts.Length)
        {
            for (var i = 0; i < Counts.Length; i++) Counts[i] += other.Counts[i];
            return;
        }
        for (var j = 0; j < other.Counts.Length; j++)
        {
            var upper = j < other.Bounds.Length ? other.Bounds[j] : double.PositiveInfinity;
            var i = 0;
            while (i < Bounds.Length && upper > Bounds[i]) i++;
            Counts[i] += other.Counts[j];
        }
    }

    /// <summary>
    /// The q-quantile estimated as Prometheus does: linear within the bucket that holds the rank,
    /// from 0 for the first bucket; a rank in the open top bucket answers the last bound (a lower
    /// bound of the truth). Null when nothing was recorded.
    /// </summary>
    public double? Quantile(double q)
    {
        var total = Counts.Sum();
        if (total == 0) return null;
        var rank = q * total;
        long before = 0;
        for (var i = 0; i < Counts.Length; i++)
        {
            var inBucket = Counts[i];
            if (inBucket > 0 && before + inBucket >= rank)
            {
                if (i == Bounds.Length) return Bounds.Length == 0 ? null : Bounds[^1];
                var lower = i == 0 ? 0 : Bounds[i - 1];
                return lower + (Bounds[i] - lower) * ((rank - before) / inBucket);
            }
            before += inBucket;
        }
        return Bounds.Length == 0 ? null : Bounds[^1];
    }
}
