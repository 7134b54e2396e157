namespace CoachFunctions.LocalHost.Timers;

/// <summary>What the schedule monitor remembers of a timer (the host's blob holds the same three times).</summary>
internal sealed record ScheduleStatus(DateTime Last, DateTime Next, DateTime LastUpdated);
