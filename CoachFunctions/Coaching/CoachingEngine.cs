using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Frequency;

namespace CoachFunctions.Coaching;

/// <summary>
/// One user at one moment: the timings the detectors see, passed through frequency control, and
/// the next moment anything could change (which the scan stores, so users with nothing due cost
/// nothing). Pure: the same snapshot and instant always give the same answer.
/// </summary>
public sealed class CoachingEngine(TimingDetector detector)
{
    public static CoachingEngine Default { get; } = new(TimingDetector.Default);

    public Evaluation Evaluate(UserSnapshot user, DateTimeOffset now)
    {
        var planned = detector.Detect(user, now)
            .Select(d => new PlannedPrompt(d, now, now.AddDays(1)))
            .ToList();
        var clock = new LocalClock(now, user.Preferences.Zone);
        var nextMidnight = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(clock.Today.AddDays(1).ToDateTime(TimeOnly.MinValue), user.Preferences.Zone));
        return new Evaluation(planned, [], nextMidnight);
    }

    public (PlannedPrompt? Planned, Suppression? Suppressed) Admit(Detection detection, UserSnapshot user, DateTimeOffset now) =>
        user.RecentPrompts.Any(p => p.DedupeKey == detection.DedupeKey)
            ? (null, null)
            : (new PlannedPrompt(detection, now, now.AddDays(1)), null);
}
