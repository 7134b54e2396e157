namespace CoachFunctions.Coaching.Detectors;

/// <summary>One rule of spec §1: looks at a user at a moment and names the timings it sees.</summary>
public interface IDetectionRule
{
    string Type { get; }

    IEnumerable<Detection> Detect(UserSnapshot user, LocalClock clock);
}
