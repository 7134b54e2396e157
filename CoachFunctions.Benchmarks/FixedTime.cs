namespace CoachFunctions.Benchmarks;

/// <summary>The benchmark's one instant: seeding, both scans and the sample check all judge users at it.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
