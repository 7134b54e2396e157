using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Frequency;
using CoachFunctions.Tests.Infrastructure;
using static CoachFunctions.Tests.Coaching.EngineTestData;

namespace CoachFunctions.Tests.Coaching;

/// <summary>The engine end to end on a manual clock: what it plans, what it holds back, and when it looks again.</summary>
public sealed class CoachingEngineTests
{
    private static Evaluation Evaluate(UserSnapshot user, TimeProvider time) => CoachingEngine.Default.Evaluate(user, time.GetUtcNow());

    /// <summary>Talked today, habit done today and yesterday, active just now: nothing is due.</summary>
    private static UserSnapshot Settled(string zone, DateTimeOffset now)
    {
        var today = Clock(zone, now).Today;
        return User(zone).WithHistory(Daily("h1", today.AddDays(-30)), new HashSet<DateOnly> { today, today.AddDays(-1) }) with
        {
            LastConversationAt = now.AddHours(-1),
            LastProgressAt = now.AddHours(-1),
            LastActivityAt = now.AddHours(-1),
            FirstSeenAt = now.AddDays(-30),
        };
    }

    /// <summary>As the pipeline would store a planned prompt.</summary>
    private static UserSnapshot Created(UserSnapshot user, IEnumerable<PlannedPrompt> planned) =>
        user with { RecentPrompts = [.. planned.Select(FrequencyControl.RecordOf), .. user.RecentPrompts] };

    [Theory]
    [InlineData(Shanghai, "2026-11-18T12:00:00+08:00", "2026-11-18T16:00:00Z")]
    [InlineData(NewYork, "2026-03-07T12:00:00-05:00", "2026-03-08T05:00:00Z")] // the night of the spring-forward
    [InlineData(Berlin, "2026-10-24T12:00:00+02:00", "2026-10-24T22:00:00Z")]  // the night of the fall-back
    [InlineData(Utc, "2026-11-18T23:59:00Z", "2026-11-19T00:00:00Z")]          // one minute to midnight
    public void Nothing_due_looks_again_at_the_next_local_midnight(string zone, string now, string expected)
    {
        var time = new ManualTimeProvider(now);
        var evaluation = Evaluate(Settled(zone, time.GetUtcNow()), time);
        Assert.Empty(evaluation.Planned);
        Assert.Empty(evaluation.Suppressed);
        Assert.Equal(At(expected), evaluation.NextCheckAt);
    }

    [Theory]
    [InlineData(Shanghai, "2026-11-21T06:00:00+08:00", "2026-11-21T01:00:00Z")]
    [InlineData(NewYork, "2026-03-08T06:00:00-04:00", "2026-03-08T13:00:00Z")]
    [InlineData(Berlin, "2026-10-25T06:00:00+01:00", "2026-10-25T08:00:00Z")]
    public void Without_habits_the_next_look_is_the_start_of_active_hours_and_then_the_check_in_goes_out(string zone, string now, string start)
    {
        var time = new ManualTimeProvider(now);
        var user = User(zone);
        var first = Evaluate(user, time);
        Assert.Empty(first.Planned);
        Assert.Equal(At(start), first.NextCheckAt);

        time.Set(first.NextCheckAt);
        var planned = Assert.Single(Evaluate(user, time).Planned);
        Assert.Equal(PromptTypes.DailyCheckin, planned.Detection.Type);
        Assert.Equal(time.GetUtcNow(), planned.DeliverAt);
        Assert.Equal(Clock(zone, time.GetUtcNow()).NextMidnight, planned.ExpiresAt);
    }

    [Fact]
    public void The_next_look_uses_learned_active_hours()
    {
        var time = new ManualTimeProvider("2026-11-21T05:00:00+08:00");
        var user = User(Shanghai) with { ActivityMinutes = [480, 500, 540, 600, 1200] };
        Assert.Equal(At("2026-11-21T08:00:00+08:00"), Evaluate(user, time).NextCheckAt);
    }

    [Fact]
    public void A_suppression_retry_wins_when_earlier_and_the_held_prompt_goes_out_then()
    {
        var time = new ManualTimeProvider("2026-11-21T10:00:00+01:00");
        // Missed h1 for three days; no check-in today yet.
        var user = User(Berlin).WithHistory(Daily("h1", Day("2026-11-18")), new HashSet<DateOnly>());
        var first = Evaluate(user, time);
        Assert.Equal(PromptTypes.DailyCheckin, Assert.Single(first.Planned).Detection.Type); // high before medium
        var held = Assert.Single(first.Suppressed);
        Assert.Equal((PromptTypes.HabitMissed, SuppressionReasons.MinInterval), (held.Detection.Type, held.Reason));
        Assert.Equal(time.GetUtcNow().AddMinutes(30), first.NextCheckAt);

        user = Created(user, first.Planned);
        time.Set(first.NextCheckAt);
        var second = Evaluate(user, time);
        Assert.Equal(PromptTypes.HabitMissed, Assert.Single(second.Planned).Detection.Type); // the check-in is a known moment now
        Assert.Empty(second.Suppressed);
        Assert.Equal(At("2026-11-21T23:00:00Z"), second.NextCheckAt); // next Berlin midnight
    }

    [Fact]
    public void The_next_look_is_never_sooner_than_a_minute()
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var now = time.GetUtcNow();
        var user = Settled(Utc, now).WithPrefs(p => p with { MaxPerHour = 1 })
            .WithHistory(Daily("h2", Day("2026-11-01")), Days(Day("2026-11-15"), Day("2026-11-21")))
            .WithPrompts(Prompt(PromptTypes.HabitMissed, now.AddSeconds(-3570), PromptStates.Responded, "h9"));
        var evaluation = Evaluate(user, time);
        var held = Assert.Single(evaluation.Suppressed);
        Assert.Equal((SuppressionReasons.HourlyLimit, now.AddSeconds(30)), (held.Reason, held.RetryAt));
        Assert.Equal(now.AddMinutes(1), evaluation.NextCheckAt);
    }

    [Fact]
    public void The_next_look_is_never_later_than_a_day()
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var user = User(Utc, PromptTypes.MilestoneReached);
        Assert.Equal(time.GetUtcNow().AddHours(24), Evaluate(user, time).NextCheckAt);
    }

    [Fact]
    public void Weekly_review_is_looked_for_at_the_review_instant()
    {
        var time = new ManualTimeProvider("2026-11-22T18:00:00+08:00"); // Sunday
        var user = User(Shanghai) with { LastConversationAt = At("2026-11-22T10:00:00+08:00") };
        var first = Evaluate(user, time);
        Assert.Equal(At("2026-11-22T19:00:00+08:00"), first.NextCheckAt);

        time.Set(first.NextCheckAt);
        var planned = Assert.Single(Evaluate(user, time).Planned);
        Assert.Equal("weekly_review:2026-W47", planned.Detection.DedupeKey);
        Assert.Equal(At("2026-11-23T00:00:00+08:00"), planned.ExpiresAt);
    }

    [Fact]
    public void Disabled_types_are_not_run_nor_reported()
    {
        var time = new ManualTimeProvider("2026-11-21T12:00:00Z");
        var user = Settled(Utc, time.GetUtcNow()) with { LastActivityAt = At("2026-11-01T00:00:00Z") }; // silent, but silent_period is off
        var evaluation = Evaluate(user, time);
        Assert.Empty(evaluation.Planned);
        Assert.Empty(evaluation.Suppressed);

        var enabled = user.WithPrefs(p => p with { EnabledTypes = [.. p.EnabledTypes, PromptTypes.SilentPeriod] });
        Assert.Equal(PromptTypes.SilentPeriod, Assert.Single(Evaluate(enabled, time).Planned).Detection.Type);
    }

    [Fact]
    public void A_milestone_at_night_is_deferred_to_the_end_of_quiet_hours()
    {
        var time = new ManualTimeProvider("2026-11-21T23:00:00-05:00");
        var user = Settled(NewYork, time.GetUtcNow()).WithHistory(Daily("h2", Day("2026-11-01")), Days(Day("2026-11-15"), Day("2026-11-21")));
        var planned = Assert.Single(Evaluate(user, time).Planned);
        Assert.Equal("milestone_reached:h2:7:2026-11-15", planned.Detection.DedupeKey);
        Assert.True(planned.Deferred);
        Assert.Equal(At("2026-11-22T08:00:00-05:00"), planned.DeliverAt);
        Assert.Equal(time.GetUtcNow().AddHours(48), planned.ExpiresAt);
    }

    [Fact]
    public void Evaluation_is_pure()
    {
        var time = new ManualTimeProvider("2026-11-21T10:00:00+01:00");
        var user = User(Berlin).WithHistory(Daily("h1", Day("2026-11-18")), new HashSet<DateOnly>());
        var a = Evaluate(user, time);
        var b = Evaluate(user, time);
        Assert.Equal(a.Planned, b.Planned);
        Assert.Equal(a.Suppressed, b.Suppressed);
        Assert.Equal(a.NextCheckAt, b.NextCheckAt);
    }

    [Fact]
    public void Admit_rechecks_against_a_newer_snapshot()
    {
        var time = new ManualTimeProvider("2026-11-21T10:00:00+08:00");
        var user = User(Shanghai);
        var planned = Assert.Single(Evaluate(user, time).Planned);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(planned.Detection, CoachingEngine.Default.Admit(planned.Detection, user, time.GetUtcNow()).Planned?.Detection);
        Assert.Equal((null, null), CoachingEngine.Default.Admit(planned.Detection, Created(user, [planned]), time.GetUtcNow()));
        var disabled = user.WithPrefs(p => p with { EnabledTypes = [PromptTypes.HabitMissed] });
        Assert.Equal(SuppressionReasons.TypeDisabled, CoachingEngine.Default.Admit(planned.Detection, disabled, time.GetUtcNow()).Suppressed?.Reason);
    }
}
