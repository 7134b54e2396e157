using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Tests.Infrastructure;
using static CoachFunctions.Tests.Coaching.EngineTestData;

namespace CoachFunctions.Tests.Coaching;

/// <summary>Every rule at its boundaries on the user's wall clock, with "now" from a manual clock that the tests set and advance.</summary>
public sealed class RuleBoundaryTests
{
    private static List<Detection> Run(IDetectionRule rule, UserSnapshot user, TimeProvider time) =>
        rule.Detect(user, new LocalClock(time.GetUtcNow(), user.Preferences.Zone)).ToList();

    private static List<DateTimeOffset> Wake(IDetectionRule rule, UserSnapshot user, TimeProvider time) =>
        rule.Wakeups(user, new LocalClock(time.GetUtcNow(), user.Preferences.Zone)).ToList();

    // ---- habit_missed: the second missed day only counts once the local day has turned.

    [Theory]
    [InlineData(Shanghai, "2026-11-20T23:59:00+08:00")]
    [InlineData(NewYork, "2026-11-20T23:59:00-05:00")]
    [InlineData(Berlin, "2026-11-20T23:59:00+01:00")]
    [InlineData(Utc, "2026-11-20T23:59:00Z")]
    public void Habit_missed_fires_from_local_midnight(string zone, string oneMinuteBefore)
    {
        var time = new ManualTimeProvider(oneMinuteBefore);
        var user = User(zone).WithHistory(Daily("h1", Day("2026-11-19")), new HashSet<DateOnly>());
        Assert.Empty(Run(new HabitMissedRule(), user, time));
        Assert.Equal([time.GetUtcNow().AddMinutes(1)], Wake(new HabitMissedRule(), user, time));

        time.Advance(TimeSpan.FromMinutes(2)); // 00:01 local
        var detection = Assert.Single(Run(new HabitMissedRule(), user, time));
        Assert.Equal("habit_missed:h1:2026-11-21", detection.DedupeKey);
        Assert.Equal(2, detection.Facts.MissedDays);
    }

    [Theory]
    [InlineData(NewYork, "2026-03-08T00:30:00-05:00", "2026-03-08", "2026-03-09T04:00:00Z")] // spring-forward day
    [InlineData(NewYork, "2026-11-01T01:30:00-05:00", "2026-11-01", "2026-11-02T05:00:00Z")] // fall-back day, second 01:30
    [InlineData(Berlin, "2026-03-29T03:30:00+02:00", "2026-03-29", "2026-03-29T22:00:00Z")]
    [InlineData(Berlin, "2026-10-25T02:30:00+01:00", "2026-10-25", "2026-10-25T23:00:00Z")]
    public void Habit_missed_on_daylight_saving_days_uses_the_local_date(string zone, string now, string today, string nextMidnight)
    {
        var time = new ManualTimeProvider(now);
        var start = Day(today).AddDays(-2);
        var user = User(zone).WithHistory(Daily("h1", start), new HashSet<DateOnly>());
        var detection = Assert.Single(Run(new HabitMissedRule(), user, time));
        Assert.Equal($"habit_missed:h1:{today}", detection.DedupeKey);
        Assert.Equal(today, detection.Facts.LocalDate);
        Assert.Equal([At(nextMidnight)], Wake(new HabitMissedRule(), user, time));
    }

    // ---- daily_checkin: learned active hours and wakeups.

    [Theory]
    [InlineData(new[] { 480, 500, 540, 600, 1200 }, "08:00", "11:00")] // p20 08:00, p80 10:00 + 1 h
    [InlineData(new[] { 1380, 1380, 1380, 1380, 1380 }, "20:00", "22:00")] // all late: clamped, widened backwards
    [InlineData(new[] { 180, 180, 180, 180, 180 }, "06:00", "08:00")]    // all early: clamped, widened forwards
    [InlineData(new[] { 480, 500, 540, 600 }, "09:00", "21:00")]         // too few samples: the preferred time
    public void Active_hours_are_learned_from_activity_once_there_are_five_samples(int[] minutes, string from, string until)
    {
        var hours = ActiveHours.For(User(Utc) with { ActivityMinutes = minutes });
        Assert.Equal(new ActiveHours(TimeOnly.Parse(from), TimeOnly.Parse(until)), hours);
    }

    [Theory]
    [InlineData(Shanghai, "2026-11-21T07:59:00+08:00", false)]
    [InlineData(Shanghai, "2026-11-21T08:00:00+08:00", true)]
    [InlineData(NewYork, "2026-11-21T10:59:00-05:00", true)]
    [InlineData(NewYork, "2026-11-21T11:00:00-05:00", false)]
    [InlineData(Berlin, "2026-03-29T08:00:00+02:00", true)]  // spring-forward day: 08:00 CEST
    [InlineData(Berlin, "2026-03-29T07:59:00+02:00", false)]
    public void Daily_checkin_follows_learned_active_hours(string zone, string now, bool fires)
    {
        var user = User(zone) with { ActivityMinutes = [480, 500, 540, 600, 1200] };
        var found = Run(new DailyCheckinRule(), user, new ManualTimeProvider(now));
        Assert.Equal(fires, found.Count == 1);
        if (fires) Assert.Equal($"daily_checkin:{now[..10]}", found[0].DedupeKey);
    }

    [Theory]
    [InlineData(Shanghai, "2026-11-21T07:00:00+08:00", null, "2026-11-21T01:00:00Z")]                  // today's start is ahead
    [InlineData(Shanghai, "2026-11-21T10:00:00+08:00", null, "2026-11-22T01:00:00Z")]                  // already inside: tomorrow's
    [InlineData(NewYork, "2026-11-21T07:00:00-05:00", "2026-11-21T06:30:00-05:00", "2026-11-22T14:00:00Z")] // talked today: tomorrow's
    [InlineData(NewYork, "2026-03-07T22:00:00-05:00", null, "2026-03-08T13:00:00Z")]                   // tomorrow is the spring-forward day
    [InlineData(Berlin, "2026-10-24T23:00:00+02:00", null, "2026-10-25T08:00:00Z")]                    // tomorrow is the fall-back day
    public void Daily_checkin_wakes_at_the_next_start_of_active_hours(string zone, string now, string? talked, string expected)
    {
        var user = User(zone) with { LastConversationAt = talked is null ? null : At(talked) };
        Assert.Equal([At(expected)], Wake(new DailyCheckinRule(), user, new ManualTimeProvider(now)));
    }

    [Fact]
    public void Daily_checkin_at_a_preferred_time_inside_the_spring_forward_gap_wakes_at_the_jump_and_then_fires()
    {
        var time = new ManualTimeProvider("2026-03-08T01:00:00-05:00");
        var user = User(NewYork).WithPrefs(p => p with { PreferredTime = new TimeOnly(2, 30) });
        var wake = Assert.Single(Wake(new DailyCheckinRule(), user, time));
        Assert.Equal(At("2026-03-08T07:00:00Z"), wake); // 03:00 EDT, the first instant after 02:30
        time.Set(wake);
        Assert.Single(Run(new DailyCheckinRule(), user, time));
    }

    // ---- progress_stalled: 72 hours after the last progress, one prompt per stall.

    [Theory]
    [InlineData(Shanghai, "2026-11-19")] // 04:00 local on the 19th
    [InlineData(NewYork, "2026-11-18")]
    [InlineData(Berlin, "2026-11-18")]
    [InlineData(Utc, "2026-11-18")]
    public void Progress_stalled_fires_72_hours_after_the_last_progress(string zone, string stallDate)
    {
        var last = At("2026-11-18T20:00:00Z");
        var time = new ManualTimeProvider(last + TimeSpan.FromHours(72) - TimeSpan.FromMinutes(1));
        var user = User(zone).WithHistory(Daily("h1", Day("2026-11-01")), new HashSet<DateOnly>()) with { LastProgressAt = last };
        Assert.Empty(Run(new ProgressStalledRule(), user, time));
        Assert.Equal([last + TimeSpan.FromHours(72)], Wake(new ProgressStalledRule(), user, time));

        time.Advance(TimeSpan.FromMinutes(1));
        var detection = Assert.Single(Run(new ProgressStalledRule(), user, time));
        Assert.Equal($"progress_stalled:{stallDate}", detection.DedupeKey);
        Assert.Equal(3, detection.Facts.DaysSince);
        Assert.Empty(Wake(new ProgressStalledRule(), user, time));

        time.Advance(TimeSpan.FromDays(2)); // still the same stall: the same key
        Assert.Equal($"progress_stalled:{stallDate}", Assert.Single(Run(new ProgressStalledRule(), user, time)).DedupeKey);
    }

    [Fact]
    public void Progress_stalled_needs_an_active_habit_and_falls_back_to_first_seen()
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var noHabits = User(Utc) with { LastProgressAt = At("2026-11-01T00:00:00Z") };
        Assert.Empty(Run(new ProgressStalledRule(), noHabits, time));

        var newcomer = User(Utc).WithHistory(Daily("h1", Day("2026-11-01")), new HashSet<DateOnly>());
        Assert.Empty(Run(new ProgressStalledRule(), newcomer, time)); // never seen: nothing to measure
        var seen = newcomer with { FirstSeenAt = At("2026-11-17T12:00:00Z") };
        Assert.Equal(4, Assert.Single(Run(new ProgressStalledRule(), seen, time)).Facts.DaysSince);
    }

    // ---- weekly_review: the review instant of this ISO week.

    [Theory]
    [InlineData(Shanghai, "2026-11-22T18:59:00+08:00", false, "2026-11-22T11:00:00Z")]
    [InlineData(Shanghai, "2026-11-22T19:00:00+08:00", true, "2026-11-29T11:00:00Z")]
    [InlineData(Shanghai, "2026-11-22T23:59:00+08:00", true, "2026-11-29T11:00:00Z")]  // Sunday, last minute of the week
    [InlineData(Shanghai, "2026-11-23T00:01:00+08:00", false, "2026-11-29T11:00:00Z")] // Monday: a new week, not yet due
    [InlineData(NewYork, "2026-11-01T19:00:00-05:00", true, "2026-11-09T00:00:00Z")]   // fall-back Sunday
    [InlineData(Berlin, "2026-03-29T18:59:00+02:00", false, "2026-03-29T17:00:00Z")]   // spring-forward Sunday
    [InlineData(Utc, "2026-11-22T19:00:00Z", true, "2026-11-29T19:00:00Z")]
    public void Weekly_review_is_due_from_the_review_instant_of_the_iso_week(string zone, string now, bool fires, string wake)
    {
        var time = new ManualTimeProvider(now);
        var user = User(zone);
        var found = Run(new WeeklyReviewRule(), user, time);
        Assert.Equal(fires, found.Count == 1);
        if (fires)
        {
            var week = LocalClock.IsoWeek(Clock(zone, time.GetUtcNow()).Today);
            Assert.Equal(week, found[0].Facts.Week);
            Assert.Equal($"weekly_review:{week}", found[0].DedupeKey);
        }
        Assert.Equal([At(wake)], Wake(new WeeklyReviewRule(), user, time));
    }

    [Theory]
    [InlineData(NewYork, "2026-03-08T07:00:00Z")] // 02:30 does not exist: the jump
    [InlineData(Berlin, "2026-10-25T00:30:00Z")]  // 02:30 twice: the first
    public void Weekly_review_at_a_time_the_clock_change_skips_or_repeats(string zone, string expected)
    {
        var sunday = zone == NewYork ? "2026-03-08T00:00:00-05:00" : "2026-10-25T00:00:00+02:00";
        var time = new ManualTimeProvider(sunday);
        var user = User(zone).WithPrefs(p => p with { ReviewTime = new TimeOnly(2, 30) });
        Assert.Equal([At(expected)], Wake(new WeeklyReviewRule(), user, time));
        time.Set(At(expected) - TimeSpan.FromMinutes(1));
        Assert.Empty(Run(new WeeklyReviewRule(), user, time));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(Run(new WeeklyReviewRule(), user, time));
    }

    [Fact]
    public void Weekly_review_on_a_Monday_review_day()
    {
        var time = new ManualTimeProvider("2026-11-23T09:00:00+01:00");
        var user = User(Berlin).WithPrefs(p => p with { ReviewDay = DayOfWeek.Monday, ReviewTime = new TimeOnly(9, 0) });
        Assert.Equal("weekly_review:2026-W48", Assert.Single(Run(new WeeklyReviewRule(), user, time)).DedupeKey);
    }

    // ---- milestone_reached: streaks and goals on local dates.

    [Theory]
    [InlineData(Shanghai, true)]  // 04:00 on the 21st: done today, 7 days
    [InlineData(NewYork, false)]  // 15:00 on the 20th: 6 days so far
    [InlineData(Berlin, false)]
    public void Milestone_streaks_count_local_dates(string zone, bool fires)
    {
        var time = new ManualTimeProvider("2026-11-20T20:00:00Z");
        var user = User(zone).WithHistory(Daily("h1", Day("2026-11-01")), Days(Day("2026-11-15"), Day("2026-11-21")));
        var found = Run(new MilestoneReachedRule(), user, time);
        Assert.Equal(fires, found.Count == 1);
        if (fires)
        {
            Assert.Equal("milestone_reached:h1:7:2026-11-15", found[0].DedupeKey);
            Assert.Equal(7, found[0].Facts.Streak);
            Assert.Equal(Priority.High, found[0].Priority);
            Assert.Equal(0.95, found[0].Confidence);
        }
    }

    [Theory]
    [InlineData("2026-11-14", "2026-11-20", 7)]  // ends yesterday: still current
    [InlineData("2026-11-15", "2026-11-21", 7)]  // ends today
    [InlineData("2026-11-16", "2026-11-21", 0)]  // 6
    [InlineData("2026-11-13", "2026-11-20", 0)]  // 8: past the milestone
    [InlineData("2026-11-13", "2026-11-19", 0)]  // ended the day before yesterday: broken
    [InlineData("2026-10-11", "2026-10-31", 0)]  // an old 21-day streak
    [InlineData("2026-11-01", "2026-11-21", 21)]
    public void Milestone_fires_only_at_exact_milestone_lengths(string from, string to, int milestone)
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var user = User(Utc).WithHistory(Daily("h1", Day("2026-09-01")), Days(Day(from), Day(to)));
        var found = Run(new MilestoneReachedRule(), user, time);
        Assert.Equal(milestone == 0 ? 0 : 1, found.Count);
        if (milestone > 0) Assert.Equal($"milestone_reached:h1:{milestone}:{from}", found[0].DedupeKey);
    }

    [Fact]
    public void Milestone_streaks_skip_unscheduled_days()
    {
        // Mon/Wed/Fri, seven scheduled days in a row done: Mon 2, Wed 4, Fri 6, Mon 9, Wed 11, Fri 13, Mon 16; today Tue 17.
        var habit = new Habit("h1", "Gym", new HabitSchedule([DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday]), Day("2026-10-01"), true, DateTimeOffset.MinValue);
        var done = new HashSet<DateOnly> { Day("2026-11-02"), Day("2026-11-04"), Day("2026-11-06"), Day("2026-11-09"), Day("2026-11-11"), Day("2026-11-13"), Day("2026-11-16") };
        var user = User(Utc).WithHistory(habit, done);
        var found = Run(new MilestoneReachedRule(), user, new ManualTimeProvider("2026-11-17T12:00:00Z")); // Tuesday
        Assert.Equal("milestone_reached:h1:7:2026-11-02", Assert.Single(found).DedupeKey);
    }

    [Theory]
    [InlineData(10, true, false, true)]   // the 10th completion today
    [InlineData(10, false, true, true)]   // the 10th yesterday
    [InlineData(11, true, true, true)]    // 9 before yesterday, 11 now: crossed
    [InlineData(10, false, false, false)] // reached long ago
    [InlineData(9, true, false, false)]   // not yet
    public void Goal_fires_when_crossed_by_a_completion_today_or_yesterday(int total, bool today, bool yesterday, bool fires)
    {
        var days = new HashSet<DateOnly> { Day("2026-11-01") };
        if (today) days.Add(Day("2026-11-21"));
        if (yesterday) days.Add(Day("2026-11-20"));
        var user = User(Shanghai).WithHistory(Daily("h1", Day("2026-10-01"), goal: 10), days, total);
        var goals = Run(new MilestoneReachedRule(), user, new ManualTimeProvider("2026-11-21T12:00:00+08:00")).Where(d => d.Facts.GoalDays is not null).ToList();
        Assert.Equal(fires, goals.Count == 1);
        if (fires) Assert.Equal("milestone_reached:h1:goal:10", goals[0].DedupeKey);
    }

    [Fact]
    public void Milestone_has_no_wakeups()
    {
        var user = User(Utc).WithHistory(Daily("h1", Day("2026-11-01")), Days(Day("2026-11-15"), Day("2026-11-20")));
        Assert.Empty(Wake(new MilestoneReachedRule(), user, new ManualTimeProvider("2026-11-21T12:00:00Z")));
    }

    // ---- silent_period: a week without any activity.

    [Theory]
    [InlineData(Shanghai, "2026-11-15")]
    [InlineData(NewYork, "2026-11-14")]
    [InlineData(Berlin, "2026-11-14")]
    public void Silent_period_fires_after_seven_days_of_nothing(string zone, string lastLocalDate)
    {
        var last = At("2026-11-14T20:00:00Z");
        var time = new ManualTimeProvider(last + TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        var user = User(zone) with { LastActivityAt = last };
        Assert.Empty(Run(new SilentPeriodRule(), user, time));
        Assert.Equal([last + TimeSpan.FromDays(7)], Wake(new SilentPeriodRule(), user, time));
        time.Advance(TimeSpan.FromMinutes(1));
        var detection = Assert.Single(Run(new SilentPeriodRule(), user, time));
        Assert.Equal($"silent_period:{lastLocalDate}", detection.DedupeKey);
        Assert.Equal(7, detection.Facts.DaysSince);
        Assert.Equal(Priority.Low, detection.Priority);
    }

    [Fact]
    public void Silent_period_across_the_spring_forward_counts_real_time_and_needs_a_start()
    {
        var last = At("2026-03-05T12:00:00-05:00");
        var user = User(NewYork) with { LastActivityAt = last };
        Assert.Equal([At("2026-03-12T17:00:00Z")], Wake(new SilentPeriodRule(), user, new ManualTimeProvider("2026-03-06T00:00:00Z")));
        Assert.Empty(Run(new SilentPeriodRule(), User(NewYork), new ManualTimeProvider("2026-03-20T00:00:00Z")));
        Assert.Single(Run(new SilentPeriodRule(), User(NewYork) with { FirstSeenAt = last }, new ManualTimeProvider("2026-03-20T00:00:00Z")));
    }

    // ---- pattern_change: rate drops and time shifts against the habit's own baseline.

    [Theory]
    [InlineData(4, true)]   // 4/7 = 0.57 ≤ 1.0 − 0.4
    [InlineData(5, false)]  // 0.71
    public void Pattern_change_rate_drop(int recentDone, bool fires)
    {
        var time = new ManualTimeProvider("2026-11-21T10:00:00+01:00");
        var done = Days(Day("2026-10-24"), Day("2026-11-13")); // the 21 baseline days
        foreach (var d in Days(Day("2026-11-14"), Day("2026-11-20")).Take(recentDone)) done.Add(d);
        var user = User(Berlin).WithHistory(Daily("h1", Day("2026-10-01")), done);
        var found = Run(new PatternChangeRule(), user, time);
        Assert.Equal(fires, found.Count == 1);
        if (fires)
        {
            Assert.Equal("pattern_change:h1:rate_drop:2026-W47", found[0].DedupeKey);
            Assert.Equal(1.0, found[0].Facts.BaselineRate);
            Assert.Equal(4 / 7.0, found[0].Facts.RecentRate!.Value, 6);
        }
    }

    [Theory]
    [InlineData(Shanghai, 1260, 840)]  // 07:00 → 21:00
    [InlineData(NewYork, 240, -180)]   // 07:00 → 04:00: exactly the threshold, earlier
    [InlineData(Utc, 250, null)]       // 170 minutes: not sharp enough
    public void Pattern_change_time_shift(string zone, int recentMinute, int? shift)
    {
        var time = new ManualTimeProvider(zone == Shanghai ? "2026-11-21T10:00:00+08:00" : zone == NewYork ? "2026-11-21T10:00:00-05:00" : "2026-11-21T10:00:00Z");
        var days = Days(Day("2026-11-07"), Day("2026-11-21"));
        var minutes = days.ToDictionary(d => d, d => d >= Day("2026-11-17") ? recentMinute : 420);
        var user = User(zone).WithHistory(Daily("h1", Day("2026-10-01")), days, minutes: minutes);
        var found = Run(new PatternChangeRule(), user, time);
        Assert.Equal(shift, found.SingleOrDefault()?.Facts.ShiftMinutes);
        if (shift is not null) Assert.Equal("pattern_change:h1:time_shift:2026-W47", found[0].DedupeKey);
    }

    [Fact]
    public void Pattern_change_needs_four_weeks_of_history_and_wakes_at_midnight()
    {
        var time = new ManualTimeProvider("2026-11-21T10:00:00+08:00");
        var user = User(Shanghai).WithHistory(Daily("h1", Day("2026-10-25")), Days(Day("2026-10-25"), Day("2026-11-13")));
        Assert.Empty(Run(new PatternChangeRule(), user, time)); // 27 days old
        time.Set(At("2026-11-22T10:00:00+08:00"));
        Assert.Single(Run(new PatternChangeRule(), user, time)); // 28 days: the drop shows
        Assert.Equal([At("2026-11-22T16:00:00Z")], Wake(new PatternChangeRule(), user, time));
    }

    // ---- context_change: fresh events not yet spoken to.

    [Fact]
    public void Context_change_fires_for_fresh_events_once()
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var note = new string('路', 199) + "😀"; // the 200-character cut would split the emoji
        var user = User(Shanghai) with
        {
            PendingContext =
            [
                new ContextEvent("e1", "travel", note, At("2026-11-19T12:00:00Z")),  // exactly 48 h
                new ContextEvent("e2", "illness", null, At("2026-11-19T11:59:00Z")), // 48 h and a minute
                new ContextEvent("e3", "schedule_change", "x", At("2026-11-21T11:00:00Z")),
            ],
            RecentPrompts = [Prompt(PromptTypes.ContextChange, At("2026-11-21T11:05:00Z"), key: "context_change:e3")],
        };
        var detection = Assert.Single(Run(new ContextChangeRule(), user, time));
        Assert.Equal("context_change:e1", detection.DedupeKey);
        Assert.Equal("travel", detection.Facts.ContextKind);
        Assert.Equal(199, detection.Facts.ContextNote!.Length);
        Assert.Equal("2026-11-21", detection.Facts.LocalDate);
        Assert.Empty(Wake(new ContextChangeRule(), user, time));
    }

    [Fact]
    public void The_default_detector_registers_all_eight_rules()
    {
        Assert.Equal(PromptTypes.All.Order(), TimingDetector.Default.Rules.Select(r => r.Type).Order());
    }
}
