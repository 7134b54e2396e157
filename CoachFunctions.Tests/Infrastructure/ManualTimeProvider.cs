using System.Globalization;

namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// A clock the test sets and advances (Microsoft.Extensions.TimeProvider.Testing does not restore
/// here). Only "now" is manual: timers run on real time, so a whole worker can run on this clock
/// (its stats flush is a periodic timer on the app's clock) while the test decides what "now" is.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start.ToUniversalTime();

    public ManualTimeProvider(string iso) : this(DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture)) { }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = now.ToUniversalTime();

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "Time does not run backwards.");
        _now += by;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);
}
