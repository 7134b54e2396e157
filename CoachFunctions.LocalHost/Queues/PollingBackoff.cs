namespace CoachFunctions.LocalHost.Queues;

/// <summary>
/// The host's queue polling: random exponential back-off from 100 ms up to maxPollingInterval while
/// the queue is empty, back to the minimum as soon as a message is found.
/// </summary>
internal sealed class PollingBackoff(TimeSpan maximum, Random random)
{
    public static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(100);

    private TimeSpan _current = TimeSpan.Zero;

    public void Reset() => _current = TimeSpan.Zero;

    public TimeSpan Next()
    {
        if (_current == TimeSpan.Zero)
        {
            _current = Minimum;
        }
        else
        {
            // Double, with up to 20% randomness so that several listeners do not poll in lock step.
            var factor = 2.0 * (0.8 + 0.4 * random.NextDouble());
            _current = TimeSpan.FromTicks(Math.Min((long)(_current.Ticks * factor), maximum.Ticks));
        }
        return _current < Minimum ? Minimum : _current;
    }
}
