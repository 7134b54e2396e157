namespace CoachFunctions.Coaching.Detectors;

/// <summary>One rule of spec §1: looks at a user at a moment and names the timings it sees.</summary>
public interface IDetectionRule
{
    string Type { get; }

    IEnumerable<Detection> Detect(UserSnapshot user, LocalClock clock);

    /// <summary>
    /// Instants strictly after now at which this rule's answer could change with no new data (time
    /// passing alone). New data triggers its own re-evaluation, so it needs no wakeup here.
    /// </summary>
    IEnumerable<DateTimeOffset> Wakeups(UserSnapshot user, LocalClock clock);
}
