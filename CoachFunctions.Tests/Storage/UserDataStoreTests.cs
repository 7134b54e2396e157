using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Learning;
using CoachFunctions.Coaching.Responses;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Tests.Storage;

/// <summary>
/// UserDataStore against Azurite: each write and the activity it implies commit in one entity group
/// transaction (all or nothing), habit edits are conditional on their ETag, values round-trip typed.
/// </summary>
public sealed class UserDataStoreTests
{
    private static Habit Habit(string id, DateTimeOffset at) =>
        new(id, "Read 20 pages", new HabitSchedule([DayOfWeek.Monday, DayOfWeek.Thursday]), new DateOnly(2026, 3, 1), true, at, GoalDays: 30);

    [Fact]
    public async Task Preferences_round_trip_every_typed_value()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var preferences = new UserPreferences
        {
            TimeZone = "Asia/Shanghai",
            Locale = "zh-CN",
            PreferredTime = new TimeOnly(7, 45),
            EnabledTypes = [PromptTypes.HabitMissed, PromptTypes.DailyCheckin],
            MaxPerDay = 3,
            MaxPerHour = 1,
            MinIntervalMinutes = 90,
            QuietHours = new QuietHours(false, new TimeOnly(23, 0), new TimeOnly(6, 30)),
            ReviewDay = DayOfWeek.Saturday,
            ReviewTime = new TimeOnly(18, 15),
            CustomInstructions = "Short and warm, please.",
        };

        await s.Users.SavePreferencesAsync(user, preferences, default);
        var read = await s.Users.GetPreferencesAsync(user, default);

        Assert.Equal(preferences with { EnabledTypes = read.EnabledTypes, Channels = read.Channels }, read);
        Assert.Equal(preferences.EnabledTypes, read.EnabledTypes);
        Assert.Equal(preferences.Channels, read.Channels);
        Assert.Equal("Asia/Shanghai", (await s.Summaries.GetAsync(user, default))!.Value.Snapshot.Preferences.TimeZone);
    }

    [Fact]
    public async Task A_user_without_rows_gets_the_defaults()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();

        Assert.Equal(UserPreferences.Default, await s.Users.GetPreferencesAsync(user, default));
        Assert.Equal(LearnedStyle.None, await s.Users.GetLearnedAsync(user, default));
        Assert.Empty(await s.Users.ListHabitsAsync(user, default));
    }

    [Fact]
    public async Task A_completion_counts_once_a_day_and_its_activity_only_with_it()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var done = new HabitCompletion("read", new DateOnly(2026, 3, 11));
        var first = s.Time.GetUtcNow();

        Assert.True(await s.Users.TryAddCompletionAsync(user, done, first, default));
        Assert.False(await s.Users.TryAddCompletionAsync(user, done, first.AddHours(2), default));

        // The refused transaction's activity merge was not applied either.
        var profile = await ProfileAsync(s, user);
        Assert.Equal(first, profile.GetDateTimeOffset("LastProgressAt"));
        Assert.Equal(first, profile.GetDateTimeOffset("LastActivityAt"));
        Assert.True(await s.Users.TryAddCompletionAsync(user, done with { Date = new DateOnly(2026, 3, 12) }, first.AddDays(1), default));
    }

    [Fact]
    public async Task A_failed_action_leaves_the_whole_transaction_unapplied()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var created = s.Time.GetUtcNow();
        await s.Users.AddHabitAsync(user, Habit("read", created), default);
        var before = await PromptStoreTests.PartitionAsync(s, user);

        // The same habit id again: its Add fails (409), so the activity upsert beside it must not apply.
        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() =>
            s.Users.AddHabitAsync(user, Habit("read", created.AddHours(3)), default));

        Assert.Equal(409, e.Status);
        Assert.Equal(0, e.FailedTransactionActionIndex);
        Assert.Equal(before, await PromptStoreTests.PartitionAsync(s, user));
        Assert.Equal(created, (await ProfileAsync(s, user)).GetDateTimeOffset("LastActivityAt"));
    }

    [Fact]
    public async Task A_habit_edit_applies_only_with_the_etag_it_was_read_with()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        await s.Users.AddHabitAsync(user, Habit("walk", s.Time.GetUtcNow()), default);
        var (habit, etag) = (await s.Users.GetHabitAsync(user, "walk", default))!.Value;

        Assert.True(await s.Users.TryUpdateHabitAsync(user, habit with { Name = "Walk 5 km" }, etag, default));
        Assert.False(await s.Users.TryUpdateHabitAsync(user, habit with { Active = false }, etag, default));

        var (now, fresh) = (await s.Users.GetHabitAsync(user, "walk", default))!.Value;
        Assert.Equal(habit with { Name = "Walk 5 km", Schedule = now.Schedule }, now);
        Assert.Equal(habit.Schedule.DaysOfWeek, now.Schedule.DaysOfWeek);
        Assert.False(await s.Users.TryDeleteHabitAsync(user, "walk", etag, default));
        Assert.True(await s.Users.TryDeleteHabitAsync(user, "walk", fresh, default));
        Assert.Empty(await s.Users.ListHabitsAsync(user, default));
    }

    [Fact]
    public async Task A_habit_that_vanished_counts_as_deleted_but_cannot_be_updated()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        await s.Users.AddHabitAsync(user, Habit("swim", s.Time.GetUtcNow()), default);
        var (habit, etag) = (await s.Users.GetHabitAsync(user, "swim", default))!.Value;
        Assert.True(await s.Users.TryDeleteHabitAsync(user, "swim", etag, default));

        // A second DELETE racing the first: the SDK answers the missing entity with its 404, not an exception.
        Assert.True(await s.Users.TryDeleteHabitAsync(user, "swim", etag, default));
        Assert.False(await s.Users.TryUpdateHabitAsync(user, habit, etag, default));
        Assert.Null(await s.Users.GetHabitAsync(user, "swim", default));
    }

    [Fact]
    public async Task Feedback_lists_newest_first_after_an_instant_and_up_to_a_maximum()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var items = Enumerable.Range(0, 4).Select(i => new FeedbackItem(Guid.NewGuid().ToString("N"), $"p{i}", "too_long", i == 0 ? null : $"note {i}",
            PromptTypes.DailyCheckin, "template", 120 + i, StoreHarness.Start.AddMinutes(i))).ToList();
        foreach (var item in items) await s.Users.AddFeedbackAsync(user, item, default);

        var all = await s.Users.ListFeedbackAsync(user, null, 10, default);
        var newer = await s.Users.ListFeedbackAsync(user, StoreHarness.Start.AddMinutes(1), 10, default);
        var two = await s.Users.ListFeedbackAsync(user, null, 2, default);

        Assert.Equal(Enumerable.Reverse(items), all);
        Assert.Equal([items[3], items[2]], newer);
        Assert.Equal([items[3], items[2]], two);
    }

    [Fact]
    public async Task A_context_event_reaches_the_summary_and_learned_style_keeps_its_marks()
    {
        var s = await StoreHarness.StartAsync();
        var user = StoreHarness.NewUserId();
        var at = s.Time.GetUtcNow();

        var eventId = await s.Users.AddEventAsync(user, EventKinds.ContextChange, "travel", "Lisbon for a week", at, default);
        var learned = new LearnedStyle { Style = Styles.Concise, Rules = ["no emoji"], FeedbackCount = 4, UpdatedAt = at };
        var marks = new LearningMarks(at.AddHours(-1), null);
        await s.Users.SaveLearnedAsync(user, learned, marks, default);
        await s.Users.SaveLearnedAsync(user, learned with { FeedbackCount = 5 }, default);

        var pending = Assert.Single((await s.Summaries.GetAsync(user, default))!.Value.Snapshot.PendingContext);
        Assert.Equal(new CoachFunctions.Coaching.Detectors.ContextEvent(eventId, "travel", "Lisbon for a week", at), pending);
        var (readLearned, readMarks) = await s.Users.GetLearningAsync(user, default);
        Assert.Equal(Styles.Concise, readLearned.Style);
        Assert.Equal(["no emoji"], readLearned.Rules);
        Assert.Equal(5, readLearned.FeedbackCount);
        Assert.Equal(marks, readMarks);
    }

    private static async Task<TableEntity> ProfileAsync(StoreHarness s, string userId) =>
        (await s.Clients.Table(StorageNames.UserDataTable).GetEntityAsync<TableEntity>(userId, "profile")).Value;
}
