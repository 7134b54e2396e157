namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// The part of the day the user is usually around, [<see cref="From"/>, <see cref="Until"/>) local:
/// learned from recent activity once there is enough of it, else from the preferred check-in time.
/// </summary>
public readonly record struct ActiveHours(TimeOnly From, TimeOnly Until)
{
    public const int MinSamples = 5;

    /// <summary>Learned hours never start before 06:00 nor run past 22:00, and span at least two hours.</summary>
    public static readonly TimeOnly EarliestStart = new(6, 0);
    public static readonly TimeOnly LatestEnd = new(22, 0);
    public const int MinimumLengthMinutes = 120;

    /// <summary>Without learned hours a check-in after this would land at bedtime.</summary>
    public static readonly TimeOnly DefaultUntil = new(21, 0);

    public bool Contains(TimeOnly time) => time >= From && time < Until;

    public static ActiveHours For(UserSnapshot user)
    {
        var samples = user.ActivityMinutes.Where(m => m is >= 0 and < 24 * 60).Order().ToList();
        if (samples.Count < MinSamples) return new(user.Preferences.PreferredTime, DefaultUntil);

        int min = (int)EarliestStart.ToTimeSpan().TotalMinutes, max = (int)LatestEnd.ToTimeSpan().TotalMinutes;
        var from = Math.Clamp(Percentile(samples, 0.2), min, max);
        var until = Math.Clamp(Percentile(samples, 0.8) + 60, min, max);
        if (until - from < MinimumLengthMinutes)
        {
            // Widen forward first (the tail of the day), backward when 22:00 is in the way.
            until = Math.Min(from + MinimumLengthMinutes, max);
            from = Math.Min(from, until - MinimumLengthMinutes);
        }
        return new(TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(from)), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(until)));
    }

    /// <summary>Nearest-rank percentile of sorted samples: always one of the observed minutes.</summary>
    internal static int Percentile(IReadOnlyList<int> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
