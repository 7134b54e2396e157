using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Coaching.Frequency;

/// <summary>
/// A detection that passed frequency control: when it should go out and when it goes stale.
/// <see cref="Deferred"/>: quiet hours held it, so it is stored as scheduled and delivered at
/// <see cref="DeliverAt"/> (said by frequency control, not derived from the detection's time,
/// which is older than "now" by the time the prompt is generated).
/// </summary>
public sealed record PlannedPrompt(Detection Detection, DateTimeOffset DeliverAt, DateTimeOffset ExpiresAt, bool Deferred);

/// <summary>A detection frequency control held back, why, and when it could pass (null: not before something changes).</summary>
public sealed record Suppression(Detection Detection, string Reason, DateTimeOffset? RetryAt);

/// <summary>One evaluation of a user: what to generate now, what was held back, and when to look again.</summary>
public sealed record Evaluation(IReadOnlyList<PlannedPrompt> Planned, IReadOnlyList<Suppression> Suppressed, DateTimeOffset NextCheckAt);

/// <summary>Why a detection was held back; the names are the measure's labels (spec §7).</summary>
public static class SuppressionReasons
{
    public const string TypeDisabled = "type_disabled";
    public const string DailyLimit = "daily_limit";
    public const string HourlyLimit = "hourly_limit";
    public const string MinInterval = "min_interval";
    public const string LowResponseRate = "low_response_rate";
    public const string TypeLimit = "type_limit";
    public const string HabitLimit = "habit_limit";
    public const string Duplicate = "duplicate";
    public const string PerScanLimit = "per_scan_limit";
    public const string QuietHours = "quiet_hours";
    public const string Expired = "expired";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        TypeDisabled, DailyLimit, HourlyLimit, MinInterval, LowResponseRate, TypeLimit, HabitLimit, Duplicate, PerScanLimit, QuietHours, Expired,
    };
}
