using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Tests.Coaching;

/// <summary>The skeleton's two rules, evaluated on the user's own wall clock.</summary>
public sealed class DetectorTests
{
    private static UserSnapshot User(string zone, IReadOnlyList<Habit>? habits = null, Dictionary<string, IReadOnlySet<DateOnly>>? done = null,
        DateTimeOffset? lastConversation = null, string preferredTime = "09:00") => new()
    {
        UserId = "u1",
        Preferences = new UserPreferences { TimeZone = zone, PreferredTime = TimeOnly.Parse(preferredTime) },
        Habits = habits ?? [],
        History = (done ?? []).ToDictionary(kv => kv.Key, kv => new HabitHistory(kv.Value, new Dictionary<DateOnly, int>(), kv.Value.Count)),
        LastConversationAt = lastConversation,
    };

    private static Habit Daily(DateOnly start) => new("h1", "Read", HabitSchedule.Daily, start, true, DateTimeOffset.MinValue);

    [Theory]
    // 2026-11-21 00:30 in Shanghai is still 2026-11-20 in UTC: "today" is the user's.
    [InlineData("Asia/Shanghai", "2026-11-20T16:30:00Z", "2026-11-21", 3)]
    [InlineData("America/New_York", "2026-11-21T04:30:00Z", "2026-11-20", 2)]
    [InlineData("Europe/Berlin", "2026-11-21T10:00:00Z", "2026-11-21", 3)]
    public void Habit_missed_counts_scheduled_days_back_from_yesterday_in_the_users_zone(string zone, string utc, string localToday, int missed)
    {
        var user = User(zone, [Daily(new DateOnly(2026, 11, 18))]);
        var detection = Assert.Single(new HabitMissedRule().Detect(user, new LocalClock(DateTimeOffset.Parse(utc), user.Preferences.Zone)));
        Assert.Equal(localToday, detection.Facts.LocalDate);
        Assert.Equal(missed, detection.Facts.MissedDays);
        Assert.Equal($"habit_missed:h1:{localToday}", detection.DedupeKey);
        Assert.Equal(Priority.Medium, detection.Priority);
        Assert.Equal(0.8, detection.Confidence);
    }

    [Fact]
    public void One_missed_day_is_not_enough_and_a_completion_today_ends_the_run()
    {
        var clock = new LocalClock(DateTimeOffset.Parse("2026-11-21T12:00:00Z"), TimeZoneInfo.Utc);
        var oneMissed = User("UTC", [Daily(new DateOnly(2026, 11, 20))]);
        Assert.Empty(new HabitMissedRule().Detect(oneMissed, clock));

        var doneToday = User("UTC", [Daily(new DateOnly(2026, 11, 10))],
            new() { ["h1"] = new HashSet<DateOnly> { new(2026, 11, 21) } });
        Assert.Empty(new HabitMissedRule().Detect(doneToday, clock));
    }

    [Fact]
    public void Streak_before_the_misses_is_reported_and_unscheduled_days_are_skipped()
    {
        // Mon/Wed/Fri habit; done Mon 9, Wed 11, Fri 13; missed Mon 16, Wed 18, Fri 20; today Sat 21.
        var habit = new Habit("h1", "Gym", new HabitSchedule([DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday]),
            new DateOnly(2026, 11, 9), true, DateTimeOffset.MinValue);
        var done = new Dictionary<string, IReadOnlySet<DateOnly>> { ["h1"] = new HashSet<DateOnly> { new(2026, 11, 9), new(2026, 11, 11), new(2026, 11, 13) } };
        var clock = new LocalClock(DateTimeOffset.Parse("2026-11-21T12:00:00Z"), TimeZoneInfo.Utc);
        var detection = Assert.Single(new HabitMissedRule().Detect(User("UTC", [habit], done), clock));
        Assert.Equal(3, detection.Facts.MissedDays);
        Assert.Equal(3, detection.Facts.StreakBefore);
    }

    [Fact]
    public void Paused_habits_are_never_nudged()
    {
        var paused = Daily(new DateOnly(2026, 11, 1)) with { Active = false };
        var clock = new LocalClock(DateTimeOffset.Parse("2026-11-21T12:00:00Z"), TimeZoneInfo.Utc);
        Assert.Empty(new HabitMissedRule().Detect(User("UTC", [paused]), clock));
    }

    [Theory]
    [InlineData("Asia/Shanghai", "2026-11-21T00:59:00Z", false)] // 08:59 local: before the preferred time
    [InlineData("Asia/Shanghai", "2026-11-21T01:00:00Z", true)]  // 09:00 local
    [InlineData("Asia/Shanghai", "2026-11-21T12:59:00Z", true)]  // 20:59 local
    [InlineData("Asia/Shanghai", "2026-11-21T13:00:00Z", false)] // 21:00 local: too late
    [InlineData("America/New_York", "2026-03-08T14:00:00Z", true)] // 10:00 EDT on the DST change day
    [InlineData("America/New_York", "2026-03-08T13:30:00Z", true)] // 09:30 EDT (08:30 if DST were ignored)
    public void Daily_checkin_fires_inside_active_hours_on_the_local_clock(string zone, string utc, bool fires)
    {
        var user = User(zone);
        var found = new DailyCheckinRule().Detect(user, new LocalClock(DateTimeOffset.Parse(utc), user.Preferences.Zone)).ToList();
        Assert.Equal(fires, found.Count == 1);
        if (fires)
        {
            Assert.Equal(Priority.High, found[0].Priority);
            Assert.Equal(0.9, found[0].Confidence);
        }
    }

    [Fact]
    public void Daily_checkin_is_skipped_after_a_conversation_today_but_not_after_one_yesterday_evening()
    {
        var now = DateTimeOffset.Parse("2026-11-21T02:00:00Z"); // 10:00 in Shanghai
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var talkedToday = User("Asia/Shanghai", lastConversation: DateTimeOffset.Parse("2026-11-20T16:10:00Z")); // 00:10 local today
        Assert.Empty(new DailyCheckinRule().Detect(talkedToday, new LocalClock(now, zone)));
        var talkedYesterday = User("Asia/Shanghai", lastConversation: DateTimeOffset.Parse("2026-11-20T15:50:00Z")); // 23:50 local yesterday
        Assert.Single(new DailyCheckinRule().Detect(talkedYesterday, new LocalClock(now, zone)));
    }

    [Fact]
    public void The_detector_keeps_enabled_types_only_ranked_by_priority_then_confidence()
    {
        var user = User("UTC", [Daily(new DateOnly(2026, 11, 1)), Daily(new DateOnly(2026, 11, 1)) with { Id = "h2" },
            Daily(new DateOnly(2026, 11, 1)) with { Id = "h3" }]);
        var all = TimingDetector.Default.Detect(user, DateTimeOffset.Parse("2026-11-21T12:00:00Z"));
        Assert.Equal(TimingDetector.MaxPerScan, all.Count);
        Assert.Equal(PromptTypes.DailyCheckin, all[0].Type); // high before medium

        var onlyHabits = user with { Preferences = user.Preferences with { EnabledTypes = [PromptTypes.HabitMissed] } };
        Assert.All(TimingDetector.Default.Detect(onlyHabits, DateTimeOffset.Parse("2026-11-21T12:00:00Z")), d => Assert.Equal(PromptTypes.HabitMissed, d.Type));
    }
}
