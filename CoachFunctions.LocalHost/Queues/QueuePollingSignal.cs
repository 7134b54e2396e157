using System.Collections.Concurrent;

namespace CoachFunctions.LocalHost.Queues;

/// <summary>
/// Wakes a queue's listener when this host has just written to that queue, so a function's output is
/// picked up at once instead of after the polling back-off (the Functions host does the same).
/// </summary>
internal sealed class QueuePollingSignal
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _signals = new(StringComparer.OrdinalIgnoreCase);

    public void Notify(string queueName)
    {
        var signal = Signal(queueName);
        if (signal.CurrentCount == 0) signal.Release();
    }

    /// <summary>Waits for the delay or a notification, whichever comes first.</summary>
    public async Task WaitAsync(string queueName, TimeSpan delay, CancellationToken cancellationToken) =>
        await Signal(queueName).WaitAsync(delay, cancellationToken);

    private SemaphoreSlim Signal(string queueName) => _signals.GetOrAdd(queueName, _ => new SemaphoreSlim(0, 1));
}
