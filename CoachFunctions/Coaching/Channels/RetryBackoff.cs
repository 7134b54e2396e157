namespace CoachFunctions.Coaching.Channels;

/// <summary>
/// When a channel that said "retry later" is tried again: what it asked for (Retry-After), else
/// 30 s·2^(n-1) with up to 20 % jitter, capped at an hour. Retries go through the queue with a
/// visibility delay, never a sleep inside a function.
/// </summary>
public static class RetryBackoff
{
    /// <summary>Attempts per channel before it counts as failed and the next channel is tried.</summary>
    public const int MaxAttempts = 5;

    public static readonly TimeSpan Base = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Cap = TimeSpan.FromHours(1);

    /// <param name="attempt">The attempt that just failed, from 1.</param>
    /// <param name="jitter">A number in [0, 1): spreads retries of many prompts after one outage.</param>
    public static TimeSpan Delay(int attempt, TimeSpan? retryAfter, double jitter)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero) return asked < Cap ? asked : Cap;
        var exponential = Base.TotalSeconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
        var seconds = Math.Min(Cap.TotalSeconds, exponential * (1 + 0.2 * Math.Clamp(jitter, 0, 1)));
        return TimeSpan.FromSeconds(Math.Ceiling(seconds));
    }
}
