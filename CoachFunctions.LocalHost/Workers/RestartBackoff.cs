namespace CoachFunctions.LocalHost.Workers;

/// <summary>1 s, 2 s, 4 s ... capped at 30 s between worker restarts; back to 1 s after a worker that stayed up a minute.</summary>
internal sealed class RestartBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Healthy = TimeSpan.FromMinutes(1);

    private TimeSpan _next = First;

    public TimeSpan Next(TimeSpan workerUptime)
    {
        if (workerUptime >= Healthy) _next = First;
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, Cap.Ticks));
        return delay;
    }
}
