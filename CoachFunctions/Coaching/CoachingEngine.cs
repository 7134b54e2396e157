using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Frequency;

namespace CoachFunctions.Coaching;

/// <summary>
/// One user at one moment: the timings the enabled rules see, passed through frequency control, and
/// the next moment anything could change with time alone (which the scan stores, so users with
/// nothing due cost nothing). Pure: the same snapshot and instant always give the same answer.
/// </summary>
public sealed class CoachingEngine(TimingDetector detector)
{
    public static CoachingEngine Default { get; } = new(TimingDetector.Default);

    /// <summary>Never look again sooner than this (a busy loop) nor later than this (a safety net).</summary>
    public static readonly TimeSpan MinimumWait = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaximumWait = TimeSpan.FromHours(24);

    public Evaluation Evaluate(UserSnapshot user, DateTimeOffset now)
    {
        var outcome = FrequencyControl.Apply(detector.Candidates(user, now), user, now);

        // Wake-ups are computed as if the planned prompts already exist: the next look must not be
        // driven by moments this evaluation has just dealt with.
        var after = user with { RecentPrompts = [.. outcome.Planned.Select(FrequencyControl.RecordOf), .. user.RecentPrompts] };
        var next = detector.Wakeups(after, now)
            .Concat(outcome.Suppressed.Select(s => s.RetryAt).OfType<DateTimeOffset>())
            .DefaultIfEmpty(now + MaximumWait)
            .Min();
        return new Evaluation(outcome.Planned, outcome.Suppressed, Clamp(next, now));
    }

    /// <summary>
    /// Frequency control for one detection at generation time: the authoritative re-check against the
    /// freshest snapshot. (null, null) means a prompt for this moment already exists.
    /// </summary>
    public (PlannedPrompt? Planned, Suppression? Suppressed) Admit(Detection detection, UserSnapshot user, DateTimeOffset now) =>
        FrequencyControl.Admit(detection, user, now);

    private static DateTimeOffset Clamp(DateTimeOffset next, DateTimeOffset now) =>
        next < now + MinimumWait ? now + MinimumWait : next > now + MaximumWait ? now + MaximumWait : next;
}
