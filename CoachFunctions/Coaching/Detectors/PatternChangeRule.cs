namespace CoachFunctions.Coaching.Detectors;

/// <summary>
/// A habit's rhythm moved sharply against its own baseline: its completion rate dropped (last 7 days
/// against the 21 before), or its completion time shifted (last 5 timed completions against the 10
/// before). Only habits with four weeks behind them have a baseline worth comparing.
/// </summary>
public sealed class PatternChangeRule : IDetectionRule
{
    public const string RateDrop = "rate_drop";
    public const string TimeShift = "time_shift";

    public const int MinimumAgeDays = 28;
    public const int RecentDays = 7;
    public const int BaselineDays = 21;
    public const double MinimumBaselineRate = 0.6;
    public const double MinimumRateDrop = 0.4;
    public const int RecentTimed = 5;
    public const int BaselineTimed = 10;
    public const int MinimumShiftMinutes = 180;

    public string Type => PromptTypes.PatternChange;

    public IEnumerable<Detection> Detect(UserSnapshot user, LocalClock clock)
    {
        var today = clock.Today;
        var week = LocalClock.IsoWeek(today);
        foreach (var habit in user.Habits.Where(h => h.Active && h.StartDate <= today.AddDays(-MinimumAgeDays)))
        {
            var facts = new DetectionFacts { LocalDate = today.ToString("yyyy-MM-dd"), HabitId = habit.Id, HabitName = habit.Name };
            var done = user.CompletionsOf(habit.Id);

            var recent = Rate(habit, done, today.AddDays(-RecentDays), today.AddDays(-1));
            var baseline = Rate(habit, done, today.AddDays(-RecentDays - BaselineDays), today.AddDays(-RecentDays - 1));
            // The epsilon keeps exact drops such as 1.0 → 0.6 from failing on floating-point noise.
            if (recent is { } r && baseline is { } b && b >= MinimumBaselineRate && r <= b - MinimumRateDrop + 1e-9)
                yield return Make(user, clock, facts with { Pattern = RateDrop, BaselineRate = b, RecentRate = r }, habit.Id, RateDrop, week);

            if (TimeShiftOf(user, habit.Id, today) is { } shift)
                yield return Make(user, clock, facts with { Pattern = TimeShift, ShiftMinutes = shift }, habit.Id, TimeShift, week);
        }
    }

    /// <summary>Each new local day moves the rate windows.</summary>
    public IEnumerable<DateTimeOffset> Wakeups(UserSnapshot user, LocalClock clock)
    {
        if (user.Habits.Any(h => h.Active)) yield return clock.NextMidnight;
    }

    private Detection Make(UserSnapshot user, LocalClock clock, DetectionFacts facts, string habitId, string pattern, string week) =>
        new(user.UserId, Type, Priority.Low, 0.6, facts, $"{Type}:{habitId}:{pattern}:{week}", clock.UtcNow);

    /// <summary>Completed share of the scheduled days in [from, to]; null when none was scheduled.</summary>
    internal static double? Rate(Habit habit, IReadOnlySet<DateOnly> done, DateOnly from, DateOnly to)
    {
        int scheduled = 0, completed = 0;
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (!habit.IsDueOn(day)) continue;
            scheduled++;
            if (done.Contains(day)) completed++;
        }
        return scheduled == 0 ? null : (double)completed / scheduled;
    }

    /// <summary>Signed minutes between the recent and baseline medians of completion time, when sharp enough.</summary>
    internal static int? TimeShiftOf(UserSnapshot user, string habitId, DateOnly today)
    {
        if (!user.History.TryGetValue(habitId, out var history)) return null;
        var timed = history.MinuteOfDay.Where(kv => kv.Key <= today).OrderByDescending(kv => kv.Key).Select(kv => kv.Value).ToList();
        if (timed.Count < RecentTimed + BaselineTimed) return null;
        var shift = Median(timed.Take(RecentTimed)) - Median(timed.Skip(RecentTimed).Take(BaselineTimed));
        var rounded = (int)Math.Round(shift, MidpointRounding.AwayFromZero);
        return Math.Abs(rounded) >= MinimumShiftMinutes ? rounded : null;
    }

    private static double Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
