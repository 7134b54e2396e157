namespace CoachFunctions.Tests.Telemetry;

/// <summary>A clock the test sets (Microsoft.Extensions.TimeProvider.Testing does not restore here).</summary>
public sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
