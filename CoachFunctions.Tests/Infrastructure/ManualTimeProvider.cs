using System.Globalization;

namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// A clock the test sets and advances (Microsoft.Extensions.TimeProvider.Testing does not restore
/// here). Only "now" is manual; timers are not supported because nothing under test uses them.
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
        throw new NotSupportedException("ManualTimeProvider has no timers.");
}
