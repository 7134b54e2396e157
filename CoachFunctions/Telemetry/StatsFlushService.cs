namespace CoachFunctions.Telemetry;

/// <summary>
/// Flushes the stats every <see cref="StatsOptions.FlushIntervalSeconds"/> and once more at
/// shutdown. A failed flush is logged and retried on the next tick: the totals stay in memory.
/// </summary>
public sealed class StatsFlushService(StatsFlusher flusher, StatsOptions options, TimeProvider time, ILogger<StatsFlushService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.FlushIntervalSeconds)), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await TryFlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await TryFlushAsync(cancellationToken);
    }

    private async Task TryFlushAsync(CancellationToken ct)
    {
        try
        {
            await flusher.FlushAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Stats flush failed; retrying on the next tick");
        }
    }
}
