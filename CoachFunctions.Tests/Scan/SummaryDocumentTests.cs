using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Tests.Scan;

/// <summary>The summary row's JSON keeps everything the engine reads, and a year of history stays small.</summary>
public sealed class SummaryDocumentTests
{
    [Fact]
    public void A_snapshot_survives_the_round_trip()
    {
        var start = new DateOnly(2025, 11, 1);
        var habit = new Habit("h1", "Read 'quoted' \"names\" 跑步", new HabitSchedule([DayOfWeek.Monday, DayOfWeek.Friday]), start, false,
            DateTimeOffset.Parse("2025-11-01T08:00:00Z"), GoalDays: 50);
        var days = new HashSet<DateOnly> { new(2026, 11, 20), new(2026, 11, 16), new(2025, 11, 3) };
        var snapshot = new UserSnapshot
        {
            UserId = "u'1",
            Preferences = new UserPreferences
            {
                TimeZone = "Asia/Shanghai", Locale = "zh-CN", MaxPerDay = 3, MaxPerHour = 1, MinIntervalMinutes = 45,
                QuietHours = new QuietHours(true, new TimeOnly(23, 30), new TimeOnly(6, 15)), Channels = ["in_app", "email"],
                ReviewDay = DayOfWeek.Friday, ReviewTime = new TimeOnly(18, 5), CustomInstructions = "Be brief.\nNo emoji.",
                EnabledTypes = [PromptTypes.HabitMissed, PromptTypes.ContextChange],
            },
            Habits = [habit],
            History = new Dictionary<string, HabitHistory> { ["h1"] = new(days, new Dictionary<DateOnly, int> { [new(2026, 11, 20)] = 425 }, 77) },
            LastConversationAt = DateTimeOffset.Parse("2026-11-20T01:02:03Z"),
            LastProgressAt = DateTimeOffset.Parse("2026-11-19T01:02:03Z"),
            LastActivityAt = DateTimeOffset.Parse("2026-11-20T05:00:00Z"),
            FirstSeenAt = DateTimeOffset.Parse("2025-10-01T00:00:00Z"),
            ActivityMinutes = [425, 1200, 0],
            PendingContext = [new ContextEvent("e1", "travel", "Tokyo trip", DateTimeOffset.Parse("2026-11-20T00:00:00Z"))],
            RecentPrompts = [new PromptRecord("p1", PromptTypes.HabitMissed, Priority.Medium, "h1", "habit_missed:h1:2026-11-19", DateTimeOffset.Parse("2026-11-19T09:00:00Z"), PromptStates.Responded)],
        };

        var back = SummaryDocument.Deserialize("u'1", SummaryDocument.Serialize(snapshot));

        Assert.Equal(snapshot.Preferences, back.Preferences with { EnabledTypes = snapshot.Preferences.EnabledTypes, Channels = snapshot.Preferences.Channels });
        Assert.Equal(snapshot.Preferences.EnabledTypes, back.Preferences.EnabledTypes);
        Assert.Equal(snapshot.Preferences.Channels, back.Preferences.Channels);
        var h = Assert.Single(back.Habits);
        Assert.Equal(habit with { Schedule = h.Schedule }, h);
        Assert.Equal(habit.Schedule.DaysOfWeek, h.Schedule.DaysOfWeek);
        Assert.Equal(days.Order(), back.CompletionsOf("h1").Order());
        Assert.Equal(425, back.History["h1"].MinuteOfDay[new DateOnly(2026, 11, 20)]);
        Assert.Equal(77, back.History["h1"].Total);
        Assert.Equal(snapshot.LastConversationAt, back.LastConversationAt);
        Assert.Equal(snapshot.LastProgressAt, back.LastProgressAt);
        Assert.Equal(snapshot.LastActivityAt, back.LastActivityAt);
        Assert.Equal(snapshot.FirstSeenAt, back.FirstSeenAt);
        Assert.Equal(snapshot.ActivityMinutes, back.ActivityMinutes);
        Assert.Equal(snapshot.PendingContext, back.PendingContext);
        Assert.Equal(snapshot.RecentPrompts, back.RecentPrompts);
    }

    [Fact]
    public void Ten_habits_with_a_year_of_daily_history_fit_in_one_table_property()
    {
        var today = new DateOnly(2026, 11, 21);
        var habits = Enumerable.Range(0, 10).Select(i => new Habit($"{i:D32}", new string('x', 100), HabitSchedule.Daily, today.AddDays(-400), true, DateTimeOffset.UnixEpoch)).ToList();
        var history = habits.ToDictionary(h => h.Id, _ => new HabitHistory(
            Enumerable.Range(0, UserSnapshots.HistoryDays).Select(d => today.AddDays(-d)).ToHashSet(),
            Enumerable.Range(0, 30).ToDictionary(d => today.AddDays(-d), d => 400 + d), 400));
        var json = SummaryDocument.Serialize(new UserSnapshot { UserId = "u", Habits = habits, History = history });

        // A string property holds at most 64 KiB (32K UTF-16 characters).
        Assert.True(json.Length < 32 * 1024, $"{json.Length} characters");
        Assert.Equal(UserSnapshots.HistoryDays, SummaryDocument.Deserialize("u", json).CompletionsOf(habits[3].Id).Count);
    }
}
