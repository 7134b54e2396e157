using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Coaching.Frequency;

/// <summary>
/// Spec §2: decides which detections may become prompts, when they go out (now, or the end of quiet
/// hours), and why the others are held back and until when. Each passing candidate is counted as if
/// already sent before the next one is checked, so one evaluation never breaks the limits it enforces.
/// </summary>
public static class FrequencyControl
{
    public sealed record Outcome(IReadOnlyList<PlannedPrompt> Planned, IReadOnlyList<Suppression> Suppressed);

    /// <summary>Candidates in rank order (priority desc, confidence desc); at most <see cref="TimingDetector.MaxPerScan"/> pass.</summary>
    public static Outcome Apply(IEnumerable<Detection> ranked, UserSnapshot user, DateTimeOffset now)
    {
        var clock = new LocalClock(now, user.Preferences.Zone);
        var prompts = user.RecentPrompts.ToList();
        var planned = new List<PlannedPrompt>();
        var suppressed = new List<Suppression>();

        foreach (var detection in ranked)
        {
            var verdict = Check(detection, user, prompts, clock);
            if (verdict is Verdict.Duplicate) continue;
            if (verdict is Verdict.Held held)
            {
                suppressed.Add(new Suppression(detection, held.Reason, held.RetryAt));
                continue;
            }

            var pass = (Verdict.Pass)verdict;
            if (planned.Count >= TimingDetector.MaxPerScan)
            {
                // Nothing else held it back: it can go at the next evaluation.
                suppressed.Add(new Suppression(detection, SuppressionReasons.PerScanLimit, pass.Planned.DeliverAt));
                continue;
            }
            planned.Add(pass.Planned);
            prompts.Add(RecordOf(pass.Planned));
        }
        return new Outcome(planned, suppressed);
    }

    /// <summary>
    /// The authoritative check for one detection at generation time: planned, suppressed, or (null,
    /// null) when a prompt for the same moment already exists.
    /// </summary>
    public static (PlannedPrompt? Planned, Suppression? Suppressed) Admit(Detection detection, UserSnapshot user, DateTimeOffset now) =>
        Check(detection, user, user.RecentPrompts, new LocalClock(now, user.Preferences.Zone)) switch
        {
            Verdict.Pass pass => (pass.Planned, null),
            Verdict.Held held => (null, new Suppression(detection, held.Reason, held.RetryAt)),
            _ => (null, null),
        };

    /// <summary>A planned prompt as frequency control will count it: at its delivery time.</summary>
    public static PromptRecord RecordOf(PlannedPrompt planned) => new(
        $"planned:{planned.Detection.DedupeKey}", planned.Detection.Type, planned.Detection.Priority, planned.Detection.Facts.HabitId,
        planned.Detection.DedupeKey, planned.DeliverAt, planned.Deferred ? PromptStates.Scheduled : PromptStates.Pending);

    /// <summary>
    /// Where a prompt would land: now, or when local now is in quiet hours, the end of the quiet
    /// period (the next local occurrence of its end, which for 22:00-08:00 at 23:00 is tomorrow).
    /// </summary>
    public static DateTimeOffset EffectiveTime(UserPreferences preferences, LocalClock clock) =>
        preferences.QuietHours.Contains(clock.TimeOfDay) ? clock.NextAt(preferences.QuietHours.End) : clock.UtcNow;

    private abstract record Verdict
    {
        public sealed record Duplicate : Verdict;
        public sealed record Held(string Reason, DateTimeOffset? RetryAt) : Verdict;
        public sealed record Pass(PlannedPrompt Planned) : Verdict;
    }

    private static Verdict Check(Detection detection, UserSnapshot user, IReadOnlyList<PromptRecord> prompts, LocalClock clock)
    {
        var preferences = user.Preferences;
        if (!preferences.IsEnabled(detection.Type)) return new Verdict.Held(SuppressionReasons.TypeDisabled, null);
        if (prompts.Any(p => p.DedupeKey == detection.DedupeKey)) return new Verdict.Duplicate();

        var t = EffectiveTime(preferences, clock);
        var counted = prompts.Where(Counts).ToList();
        var failure = FrequencyRules.FirstFailure(detection, preferences, counted, clock, t);
        return failure is { } f
            ? new Verdict.Held(f.Reason, f.RetryAt)
            : new Verdict.Pass(new PlannedPrompt(detection, t, PromptExpiry.For(detection, clock.Zone), Deferred: t > clock.UtcNow));
    }

    /// <summary>Every prompt that went or goes out counts; one that expired unsent or failed never reached the user.</summary>
    private static bool Counts(PromptRecord p) => p.State is not (PromptStates.Expired or PromptStates.Failed);

    /// <summary>
    /// Whether a prompt moving from one state to another can change anything frequency control (and
    /// so the scan) decides. It tells apart only answered prompts (the response rate), prompts that
    /// never reached the user (<see cref="Counts"/>) and all others: pending, scheduled, delivered,
    /// seen and dismissed are alike to it. The detectors read no prompt state at all.
    /// </summary>
    public static bool SeesStateChange(string from, string to) => StateClass(from) != StateClass(to);

    private static int StateClass(string state) => state switch
    {
        PromptStates.Responded => 1,
        PromptStates.Expired or PromptStates.Failed => 2,
        _ => 0,
    };
}
