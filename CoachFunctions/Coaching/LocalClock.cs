namespace CoachFunctions.Coaching;

/// <summary>"Now" and "today" as the user sees them on their own wall clock.</summary>
public readonly record struct LocalClock(DateTimeOffset UtcNow, TimeZoneInfo Zone)
{
    public DateTimeOffset LocalNow => TimeZoneInfo.ConvertTime(UtcNow, Zone);

    public DateOnly Today => DateOnly.FromDateTime(LocalNow.DateTime);

    public TimeOnly TimeOfDay => TimeOnly.FromDateTime(LocalNow.DateTime);

    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);
}
