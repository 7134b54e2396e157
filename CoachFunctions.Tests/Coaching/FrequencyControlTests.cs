using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Frequency;
using CoachFunctions.Tests.Infrastructure;
using static CoachFunctions.Tests.Coaching.EngineTestData;

namespace CoachFunctions.Tests.Coaching;

/// <summary>Spec §2 on the user's wall clock: every suppression reason with its retry time, quiet hours, and the per-scan limit.</summary>
public sealed class FrequencyControlTests
{
    private static (PlannedPrompt? Planned, Suppression? Suppressed) Admit(Detection detection, UserSnapshot user, TimeProvider time) =>
        CoachingEngine.Default.Admit(detection, user, time.GetUtcNow());

    private static Suppression Held(Detection detection, UserSnapshot user, TimeProvider time, string reason)
    {
        var (planned, suppressed) = Admit(detection, user, time);
        Assert.Null(planned);
        Assert.NotNull(suppressed);
        Assert.Equal(reason, suppressed.Reason);
        return suppressed;
    }

    private static PlannedPrompt Passed(Detection detection, UserSnapshot user, TimeProvider time)
    {
        var (planned, suppressed) = Admit(detection, user, time);
        Assert.Null(suppressed);
        return Assert.IsType<PlannedPrompt>(planned);
    }

    // ---- quiet hours

    [Theory]
    [InlineData(Shanghai, "2026-11-21T23:30:00+08:00", "22:00", "08:00", "2026-11-22T00:00:00Z")] // crosses midnight: tomorrow 08:00
    [InlineData(Shanghai, "2026-11-22T02:00:00+08:00", "22:00", "08:00", "2026-11-22T00:00:00Z")] // after midnight: today 08:00
    [InlineData(Shanghai, "2026-11-21T21:59:00+08:00", "22:00", "08:00", null)]
    [InlineData(Shanghai, "2026-11-22T08:00:00+08:00", "22:00", "08:00", null)]                   // the end is not quiet
    [InlineData(Utc, "2026-11-21T22:00:00Z", "22:00", "08:00", "2026-11-22T08:00:00Z")]           // the start is quiet
    [InlineData(NewYork, "2026-03-07T23:00:00-05:00", "22:00", "08:00", "2026-03-08T12:00:00Z")]  // ends on the spring-forward day, EDT
    [InlineData(NewYork, "2026-03-08T01:45:00-05:00", "01:30", "03:00", "2026-03-08T07:00:00Z")]  // 15 real minutes to 03:00 EDT
    [InlineData(NewYork, "2026-11-01T01:45:00-04:00", "01:30", "03:00", "2026-11-01T08:00:00Z")]  // first 01:45 (EDT)
    [InlineData(NewYork, "2026-11-01T01:45:00-05:00", "01:30", "03:00", "2026-11-01T08:00:00Z")]  // repeated 01:45 (EST)
    [InlineData(Berlin, "2026-03-29T01:45:00+01:00", "01:30", "03:00", "2026-03-29T01:00:00Z")]
    [InlineData(Berlin, "2026-10-25T01:45:00+02:00", "01:30", "03:00", "2026-10-25T02:00:00Z")]
    [InlineData(Berlin, "2026-10-25T02:30:00+01:00", "01:30", "03:00", "2026-10-25T02:00:00Z")]   // second 02:30 (CET)
    [InlineData(Berlin, "2026-10-24T23:00:00+02:00", "22:00", "08:00", "2026-10-25T07:00:00Z")]   // ends after the fall-back, CET
    public void Quiet_hours_defer_to_their_end(string zone, string now, string start, string end, string? deliverAt)
    {
        var time = new ManualTimeProvider(now);
        var user = User(zone).WithPrefs(p => p with { QuietHours = new QuietHours(true, TimeOnly.Parse(start), TimeOnly.Parse(end)) });
        var planned = Passed(Detection(PromptTypes.MilestoneReached, time.GetUtcNow(), zone, habitId: "h1"), user, time);
        Assert.Equal(deliverAt is null ? time.GetUtcNow() : At(deliverAt), planned.DeliverAt);
        Assert.Equal(deliverAt is not null, planned.Deferred);
    }

    [Fact]
    public void Disabled_quiet_hours_never_defer()
    {
        var time = new ManualTimeProvider("2026-11-21T23:30:00+08:00");
        var user = User(Shanghai).WithPrefs(p => p with { QuietHours = p.QuietHours with { Enabled = false } });
        Assert.False(Passed(Detection(PromptTypes.MilestoneReached, time.GetUtcNow(), Shanghai), user, time).Deferred);
    }

    [Fact]
    public void A_prompt_deferred_past_its_expiry_is_still_planned()
    {
        var time = new ManualTimeProvider("2026-11-21T23:30:00+08:00");
        var planned = Passed(Detection(PromptTypes.DailyCheckin, time.GetUtcNow(), Shanghai), User(Shanghai), time);
        Assert.Equal(At("2026-11-22T00:00:00Z"), planned.DeliverAt);  // 08:00 tomorrow
        Assert.Equal(At("2026-11-21T16:00:00Z"), planned.ExpiresAt);  // midnight tonight
        Assert.True(planned.DeliverAt >= planned.ExpiresAt);
    }

    // ---- type_disabled and idempotence

    [Fact]
    public void A_disabled_type_is_suppressed_without_retry()
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var held = Held(Detection(PromptTypes.SilentPeriod, time.GetUtcNow(), Utc), User(Utc), time, SuppressionReasons.TypeDisabled);
        Assert.Null(held.RetryAt);
    }

    [Theory]
    [InlineData(PromptStates.Delivered)]
    [InlineData(PromptStates.Expired)]
    [InlineData(PromptStates.Failed)]
    public void A_moment_that_already_has_a_prompt_is_dropped_silently(string state)
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var detection = Detection(PromptTypes.HabitMissed, time.GetUtcNow(), Utc, habitId: "h1");
        var user = User(Utc).WithPrompts(Prompt(PromptTypes.HabitMissed, At("2026-11-21T09:00:00Z"), state, "h1", key: detection.DedupeKey));
        Assert.Equal((null, null), Admit(detection, user, time));
        var outcome = FrequencyControl.Apply([detection, detection with { DedupeKey = "habit_missed:h1:other" }], user, time.GetUtcNow());
        Assert.DoesNotContain(outcome.Planned, p => p.Detection.DedupeKey == detection.DedupeKey);
        Assert.DoesNotContain(outcome.Suppressed, s => s.Detection.DedupeKey == detection.DedupeKey);
    }

    // ---- type_limit

    [Theory]
    [InlineData(Shanghai, "2026-11-21T09:00:00+08:00", "2026-11-21T15:00:00+08:00", "2026-11-21T16:00:00Z")]
    [InlineData(Shanghai, "2026-11-20T23:59:00+08:00", "2026-11-21T09:00:00+08:00", null)] // yesterday, one minute before midnight
    [InlineData(Shanghai, "2026-11-21T09:00:00+08:00", "2026-11-21T23:30:00+08:00", null)] // deferred into tomorrow: counts there
    [InlineData(NewYork, "2026-11-01T00:30:00-04:00", "2026-11-01T20:00:00-05:00", "2026-11-02T05:00:00Z")] // fall-back day
    [InlineData(Berlin, "2026-03-29T09:00:00+02:00", "2026-03-29T15:00:00+02:00", "2026-03-29T22:00:00Z")]  // spring-forward day
    public void Daily_checkin_once_per_local_day(string zone, string earlier, string now, string? retryAt)
    {
        var time = new ManualTimeProvider(now);
        var user = User(zone).WithPrompts(Prompt(PromptTypes.DailyCheckin, At(earlier), PromptStates.Responded, priority: Priority.High));
        var detection = Detection(PromptTypes.DailyCheckin, time.GetUtcNow(), zone);
        if (retryAt is null) Passed(detection, user, time);
        else Assert.Equal(At(retryAt), Held(detection, user, time, SuppressionReasons.TypeLimit).RetryAt);
    }

    [Fact]
    public void Expired_and_failed_prompts_do_not_count_against_limits()
    {
        var time = new ManualTimeProvider("2026-11-21T15:00:00+08:00");
        var user = User(Shanghai).WithPrompts(
            Prompt(PromptTypes.DailyCheckin, At("2026-11-21T09:00:00+08:00"), PromptStates.Expired),
            Prompt(PromptTypes.MilestoneReached, At("2026-11-21T14:50:00+08:00"), PromptStates.Failed));
        Passed(Detection(PromptTypes.DailyCheckin, time.GetUtcNow(), Shanghai), user, time);
    }

    [Theory]
    [InlineData(Shanghai, "2026-11-16T10:00:00+08:00", "2026-11-22T19:00:00+08:00", "2026-11-22T16:00:00Z")] // same ISO week
    [InlineData(Shanghai, "2026-11-22T19:00:00+08:00", "2026-11-23T09:00:00+08:00", null)]                   // Sunday → Monday
    [InlineData(Berlin, "2026-10-19T10:00:00+02:00", "2026-10-25T19:00:00+01:00", "2026-10-25T23:00:00Z")]   // week ends after the fall-back
    [InlineData(NewYork, "2026-03-02T10:00:00-05:00", "2026-03-08T19:00:00-04:00", "2026-03-09T04:00:00Z")]
    public void Weekly_review_once_per_iso_week(string zone, string earlier, string now, string? retryAt)
    {
        var time = new ManualTimeProvider(now);
        var user = User(zone).WithPrompts(Prompt(PromptTypes.WeeklyReview, At(earlier), PromptStates.Responded));
        var detection = Detection(PromptTypes.WeeklyReview, time.GetUtcNow(), zone);
        if (retryAt is null) Passed(detection, user, time);
        else Assert.Equal(At(retryAt), Held(detection, user, time, SuppressionReasons.TypeLimit).RetryAt);
    }

    [Theory]
    [InlineData(6 * 24 * 60, true)]
    [InlineData(7 * 24 * 60 - 1, true)]
    [InlineData(7 * 24 * 60, false)]
    public void Silent_period_at_most_weekly(int minutesAgo, bool held)
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00+01:00");
        var earlier = time.GetUtcNow() - TimeSpan.FromMinutes(minutesAgo);
        var user = AllTypes(Berlin).WithPrompts(Prompt(PromptTypes.SilentPeriod, earlier, PromptStates.Responded, priority: Priority.Low));
        var detection = Detection(PromptTypes.SilentPeriod, time.GetUtcNow(), Berlin, Priority.Low);
        if (!held) Passed(detection, user, time);
        else Assert.Equal(earlier + TimeSpan.FromDays(7), Held(detection, user, time, SuppressionReasons.TypeLimit).RetryAt);
    }

    // ---- habit_limit

    [Theory]
    [InlineData("h1", "2026-11-21T09:00:00-05:00", true)]
    [InlineData("h2", "2026-11-21T09:00:00-05:00", false)]  // another habit
    [InlineData("h1", "2026-11-20T23:59:00-05:00", false)]  // yesterday, local
    public void The_same_habit_is_nudged_at_most_once_a_local_day(string habitId, string earlier, bool held)
    {
        var time = new ManualTimeProvider("2026-11-21T15:00:00-05:00");
        var user = AllTypes(NewYork).WithPrompts(Prompt(PromptTypes.HabitMissed, At(earlier), PromptStates.Responded, "h1"));
        var detection = Detection(PromptTypes.PatternChange, time.GetUtcNow(), NewYork, Priority.Low, habitId: habitId);
        if (!held) Passed(detection, user, time);
        else Assert.Equal(At("2026-11-22T05:00:00Z"), Held(detection, user, time, SuppressionReasons.HabitLimit).RetryAt);
    }

    // ---- low_response_rate

    private static UserSnapshot WithAnswered(UserSnapshot user, DateTimeOffset now, int answered, int unanswered, TimeSpan? newest = null)
    {
        var prompts = Enumerable.Range(0, answered + unanswered)
            .Select(i => Prompt(PromptTypes.HabitMissed, now - (newest ?? TimeSpan.FromDays(1)) - TimeSpan.FromDays(i),
                i < answered ? PromptStates.Responded : PromptStates.Delivered, $"h{i}"))
            .ToArray();
        return user.WithPrompts(prompts);
    }

    [Theory]
    [InlineData(1, 4, Priority.Medium, true)]   // 20%
    [InlineData(1, 4, Priority.Low, true)]
    [InlineData(1, 4, Priority.High, false)]    // high priority always passes
    [InlineData(2, 3, Priority.Medium, false)]  // 40%
    [InlineData(0, 4, Priority.Medium, false)]  // too few to judge
    [InlineData(3, 7, Priority.Medium, false)]  // exactly 30%
    [InlineData(2, 8, Priority.Medium, true)]   // 20% of ten
    public void Low_response_rate_lets_only_high_priority_through(int answered, int unanswered, Priority priority, bool held)
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00+08:00");
        var user = WithAnswered(AllTypes(Shanghai), time.GetUtcNow(), answered, unanswered);
        var detection = Detection(PromptTypes.ContextChange, time.GetUtcNow(), Shanghai, priority, key: "context_change:e1");
        if (!held) Passed(detection, user, time);
        else Assert.Null(Held(detection, user, time, SuppressionReasons.LowResponseRate).RetryAt);
    }

    [Fact]
    public void Low_response_rate_judges_the_ten_most_recent_prompts_out_for_an_hour()
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var now = time.GetUtcNow();
        var detection = Detection(PromptTypes.HabitMissed, now, Utc, habitId: "hx");
        // Ten recent with three answered pass, whatever older silence there was.
        var recent = WithAnswered(User(Utc), now, 3, 7).RecentPrompts;
        var older = Enumerable.Range(0, 5).Select(i => Prompt(PromptTypes.HabitMissed, now - TimeSpan.FromDays(20 + i), habitId: "old")).ToArray();
        Passed(detection, User(Utc).WithPrompts([.. recent, .. older]), time);
        // A prompt out for less than an hour is not judged yet: four judged are too few.
        var fresh = WithAnswered(User(Utc), now, 0, 4).RecentPrompts;
        Passed(detection, User(Utc).WithPrompts([.. fresh, Prompt(PromptTypes.HabitMissed, now - TimeSpan.FromMinutes(59), habitId: "h9")]), time);
        Held(detection, User(Utc).WithPrompts([.. fresh, Prompt(PromptTypes.HabitMissed, now - TimeSpan.FromMinutes(60), habitId: "h9")]), time,
            SuppressionReasons.LowResponseRate);
    }

    // ---- daily_limit, hourly_limit, min_interval

    [Theory]
    [InlineData(Shanghai, "2026-11-21T08:00:00+08:00", "2026-11-21T10:00:00+08:00", "2026-11-21T14:00:00+08:00", "2026-11-21T16:00:00Z")]
    [InlineData(NewYork, "2026-11-20T21:00:00-05:00", "2026-11-21T09:00:00-05:00", "2026-11-21T18:00:00-05:00", null)] // yesterday local, today UTC
    [InlineData(Berlin, "2026-03-29T08:00:00+02:00", "2026-03-29T10:00:00+02:00", "2026-03-29T21:00:00+02:00", "2026-03-29T22:00:00Z")]
    [InlineData(Utc, "2026-11-21T08:00:00Z", "2026-11-21T10:00:00Z", "2026-11-21T23:30:00Z", null)] // deferred into tomorrow
    public void Daily_limit_counts_the_local_day_of_delivery(string zone, string first, string second, string now, string? retryAt)
    {
        var time = new ManualTimeProvider(now);
        var user = User(zone).WithPrefs(p => p with { MaxPerDay = 2 })
            .WithPrompts(Prompt(PromptTypes.HabitMissed, At(first), PromptStates.Responded, "h1"), Prompt(PromptTypes.HabitMissed, At(second), PromptStates.Responded, "h2"));
        var detection = Detection(PromptTypes.MilestoneReached, time.GetUtcNow(), zone, habitId: "h3");
        if (retryAt is null) Passed(detection, user, time);
        else Assert.Equal(At(retryAt), Held(detection, user, time, SuppressionReasons.DailyLimit).RetryAt);
    }

    [Theory]
    [InlineData(50, 20, 10)]    // retry when the oldest leaves the hour
    [InlineData(60, 20, null)]  // one exactly an hour ago has left the window
    public void Hourly_limit(int firstMinutesAgo, int secondMinutesAgo, int? retryInMinutes)
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var now = time.GetUtcNow();
        var user = User(Utc).WithPrefs(p => p with { MaxPerHour = 2, MinIntervalMinutes = 10 }).WithPrompts(
            Prompt(PromptTypes.HabitMissed, now.AddMinutes(-firstMinutesAgo), PromptStates.Responded, "h1"),
            Prompt(PromptTypes.HabitMissed, now.AddMinutes(-secondMinutesAgo), PromptStates.Responded, "h2"));
        var detection = Detection(PromptTypes.MilestoneReached, now, Utc, habitId: "h3");
        if (retryInMinutes is null) Passed(detection, user, time);
        else Assert.Equal(now.AddMinutes(retryInMinutes.Value), Held(detection, user, time, SuppressionReasons.HourlyLimit).RetryAt);
    }

    [Theory]
    [InlineData(-10, 20)]     // ten minutes ago: twenty to wait
    [InlineData(15, 45)]      // one scheduled in a quarter of an hour blocks too
    [InlineData(-30, null)]   // exactly the interval
    public void Min_interval(int otherAtMinutes, int? retryInMinutes)
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00+01:00");
        var now = time.GetUtcNow();
        var user = User(Berlin).WithPrompts(Prompt(PromptTypes.HabitMissed, now.AddMinutes(otherAtMinutes), PromptStates.Scheduled, "h1"));
        var detection = Detection(PromptTypes.MilestoneReached, now, Berlin, habitId: "h3");
        if (retryInMinutes is null) Passed(detection, user, time);
        else Assert.Equal(now.AddMinutes(retryInMinutes.Value), Held(detection, user, time, SuppressionReasons.MinInterval).RetryAt);
    }

    [Fact]
    public void Limits_apply_where_a_deferred_prompt_lands()
    {
        // 23:30 in Shanghai defers to 08:00; something already scheduled for 08:00 blocks it by the interval from there.
        var time = new ManualTimeProvider("2026-11-21T23:30:00+08:00");
        var user = User(Shanghai).WithPrompts(Prompt(PromptTypes.HabitMissed, At("2026-11-22T08:00:00+08:00"), PromptStates.Scheduled, "h1"));
        var held = Held(Detection(PromptTypes.MilestoneReached, time.GetUtcNow(), Shanghai, habitId: "h2"), user, time, SuppressionReasons.MinInterval);
        Assert.Equal(At("2026-11-22T08:30:00+08:00"), held.RetryAt);
    }

    [Fact]
    public void The_first_failing_limit_names_the_suppression()
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var now = time.GetUtcNow();
        // A check-in went out five minutes ago: type limit, daily (max 1), hourly (max 1) and interval all fail; the type limit wins.
        var user = User(Utc).WithPrefs(p => p with { MaxPerDay = 1, MaxPerHour = 1 })
            .WithPrompts(Prompt(PromptTypes.DailyCheckin, now.AddMinutes(-5), PromptStates.Delivered, priority: Priority.High));
        Held(Detection(PromptTypes.DailyCheckin, now, Utc), user, time, SuppressionReasons.TypeLimit);
        Held(Detection(PromptTypes.MilestoneReached, now, Utc, habitId: "h1"), user, time, SuppressionReasons.DailyLimit);
    }

    // ---- several candidates in one evaluation

    [Fact]
    public void Each_passing_candidate_counts_before_the_next_is_checked()
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var now = time.GetUtcNow();
        var outcome = FrequencyControl.Apply(
            [Detection(PromptTypes.MilestoneReached, now, Utc, habitId: "h1"), Detection(PromptTypes.HabitMissed, now, Utc, habitId: "h2")],
            User(Utc), now);
        Assert.Equal(PromptTypes.MilestoneReached, Assert.Single(outcome.Planned).Detection.Type);
        var held = Assert.Single(outcome.Suppressed);
        Assert.Equal(SuppressionReasons.MinInterval, held.Reason);
        Assert.Equal(now.AddMinutes(30), held.RetryAt);
    }

    [Fact]
    public void At_most_three_pass_per_evaluation()
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var now = time.GetUtcNow();
        var user = User(Utc).WithPrefs(p => p with { MinIntervalMinutes = 0, MaxPerHour = 10, MaxPerDay = 10 });
        var candidates = Enumerable.Range(1, 4).Select(i => Detection(PromptTypes.MilestoneReached, now, Utc, habitId: $"h{i}")).ToList();
        var outcome = FrequencyControl.Apply(candidates, user, now);
        Assert.Equal(["h1", "h2", "h3"], outcome.Planned.Select(p => p.Detection.Facts.HabitId));
        var held = Assert.Single(outcome.Suppressed);
        Assert.Equal((SuppressionReasons.PerScanLimit, "h4"), (held.Reason, held.Detection.Facts.HabitId));
        Assert.Equal(now, held.RetryAt);
    }

    // ---- which state changes frequency control can see (the summary is not rebuilt for the others)

    [Fact]
    public void A_state_change_it_does_not_see_changes_no_decision()
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var now = time.GetUtcNow();
        var detections = new[]
        {
            Detection(PromptTypes.HabitMissed, now, Utc, habitId: "hx"),
            Detection(PromptTypes.DailyCheckin, now, Utc),
            Detection(PromptTypes.PatternChange, now, Utc, habitId: "hy"),
        };
        foreach (var from in PromptStates.All)
        foreach (var to in PromptStates.All)
        {
            // Six low-priority prompts out for hours, all in one state, then all moved to another.
            UserSnapshot With(string state) => User(Utc, [.. PromptTypes.All]).WithPrefs(p => p with { MaxPerDay = 7 }).WithPrompts(
                [.. Enumerable.Range(1, 6).Select(i => Prompt(PromptTypes.HabitMissed, now - TimeSpan.FromHours(i * 2), state, $"h{i}", key: $"habit_missed:h{i}"))]);
            var before = detections.Select(d => Admit(d, With(from), time)).Select(Describe).ToList();
            var after = detections.Select(d => Admit(d, With(to), time)).Select(Describe).ToList();
            if (!FrequencyControl.SeesStateChange(from, to)) Assert.Equal(before, after);
        }
        Assert.True(FrequencyControl.SeesStateChange(PromptStates.Delivered, PromptStates.Responded));
        Assert.True(FrequencyControl.SeesStateChange(PromptStates.Pending, PromptStates.Expired));
        Assert.False(FrequencyControl.SeesStateChange(PromptStates.Pending, PromptStates.Seen));
        Assert.False(FrequencyControl.SeesStateChange(PromptStates.Seen, PromptStates.Dismissed));

        static string Describe((PlannedPrompt? Planned, Suppression? Suppressed) r) =>
            r.Planned is { } p ? $"planned {p.DeliverAt:O}" : $"held {r.Suppressed?.Reason} {r.Suppressed?.RetryAt:O}";
    }
}
