namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// Real time, moved by a fixed offset: the app under test lives at a chosen wall-clock moment
/// (a few seconds before quiet hours end, say) while queues, sockets and delays run in real time.
/// </summary>
public sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
{
    public TimeSpan Offset { get; } = offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>A clock whose "now" is the nearest instant (within ±30 s) at <paramref name="second"/> seconds past a minute.</summary>
    public static ShiftedTimeProvider AtSecond(int second)
    {
        var now = System.GetUtcNow();
        var offset = TimeSpan.FromSeconds(second - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond);
        if (offset > TimeSpan.FromSeconds(30)) offset -= TimeSpan.FromMinutes(1);
        if (offset < TimeSpan.FromSeconds(-30)) offset += TimeSpan.FromMinutes(1);
        return new ShiftedTimeProvider(offset);
    }
}
