namespace CoachFunctions.Telemetry;

/// <summary>Writes this process's changed days to its CoachStats rows; one flush at a time.</summary>
public sealed class StatsFlusher(StatsAggregator aggregate, StatsStore store, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task FlushAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            foreach (var day in aggregate.Pending())
            {
                await store.WriteAsync(day.Day, aggregate.InstanceId, day.Totals, time.GetUtcNow(), ct);
                aggregate.MarkFlushed(day);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
