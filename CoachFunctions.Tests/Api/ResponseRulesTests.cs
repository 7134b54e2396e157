using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Learning;
using CoachFunctions.Coaching.Responses;

namespace CoachFunctions.Tests.Api;

/// <summary>The pure rules behind the answer and feedback routes: snoozing, streaks, distilling feedback.</summary>
public sealed class ResponseRulesTests
{
    private static readonly UserPreferences Berlin = new() { TimeZone = "Europe/Berlin" }; // quiet 22:00-08:00

    [Theory]
    [InlineData("2026-11-21T10:00:00Z", "2026-11-21T12:00:00Z")] // 11:00 local + 2 h: outside quiet hours
    [InlineData("2026-11-21T19:30:00Z", "2026-11-22T07:00:00Z")] // 22:30 local: moved to 08:00 local next morning
    [InlineData("2026-11-21T23:30:00Z", "2026-11-22T07:00:00Z")] // 02:30 local, after midnight: 08:00 the same morning
    public void Later_lands_after_the_snooze_or_at_the_end_of_quiet_hours(string now, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), SnoozePlanner.Until(DateTimeOffset.Parse(now), TimeSpan.FromHours(2), Berlin, null));

    [Fact]
    public void Later_is_refused_when_it_would_land_after_expiry()
    {
        var now = DateTimeOffset.Parse("2026-11-21T19:30:00Z");
        Assert.Null(SnoozePlanner.Until(now, TimeSpan.FromHours(2), Berlin, DateTimeOffset.Parse("2026-11-21T23:00:00Z")));
        Assert.Null(SnoozePlanner.Until(now, TimeSpan.FromHours(2), Berlin with { QuietHours = QuietHours.Default with { Enabled = false } }, now.AddHours(2)));
        Assert.NotNull(SnoozePlanner.Until(now, TimeSpan.FromHours(2), Berlin, DateTimeOffset.Parse("2026-11-22T23:00:00Z")));
    }

    [Fact]
    public void Streaks_skip_unscheduled_days_and_stop_at_a_missed_one()
    {
        var today = new DateOnly(2026, 11, 21); // a Saturday
        var weekdays = new Habit("h", "Run", new HabitSchedule([DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday, DayOfWeek.Saturday]),
            today.AddDays(-30), true, DateTimeOffset.UnixEpoch);
        // Sat (today), Fri, Wed, Mon done; Sun, Tue, Thu are not scheduled; the Saturday before was missed.
        var done = new HashSet<DateOnly> { today, today.AddDays(-1), today.AddDays(-3), today.AddDays(-5) };
        Assert.Equal(4, Streaks.Current(weekdays, done, today));
        Assert.Equal(3, Streaks.Current(weekdays, done.Where(d => d != today).ToHashSet(), today)); // today not over yet
        Assert.Equal(2, Streaks.Current(null, done, today)); // a deleted habit: calendar days
        Assert.Equal(1, Streaks.Current(weekdays with { StartDate = today }, done, today));
    }

    private static FeedbackItem Item(string kind, int length, string? text = null, int minutesAgo = 0) =>
        new(Guid.NewGuid().ToString("N"), "p", kind, text, "daily_checkin", "template", length, DateTimeOffset.Parse("2026-11-21T12:00:00Z").AddMinutes(-minutesAgo));

    [Fact]
    public void Counting_distils_style_from_lengths_and_keywords_and_rules_from_recent_corrections()
    {
        var now = DateTimeOffset.Parse("2026-11-21T12:00:00Z");
        Assert.Equal(Styles.Concise, CountingStyleDistiller.Distill([Item("dislike", 300), Item("dislike", 250), Item("like", 90)], now).Style);
        Assert.Equal(Styles.Detailed, CountingStyleDistiller.Distill([Item("like", 300), Item("like", 250)], now).Style);
        Assert.Null(CountingStyleDistiller.Distill([Item("like", 300)], now).Style); // one vote is not a preference
        Assert.Equal(Styles.Direct, CountingStyleDistiller.Distill([Item("correction", 90, "Be more direct, please")], now).Style);
        Assert.Equal(Styles.Warm, CountingStyleDistiller.Distill([Item("correction", 90, "温柔一点")], now).Style);
        Assert.Equal(Styles.Concise, CountingStyleDistiller.Distill([Item("correction", 90, "简短一些")], now).Style);
        Assert.Equal(Styles.Detailed, CountingStyleDistiller.Distill([Item("correction", 90, "请说得详细一点")], now).Style);
        // A tie goes to the most recent vote.
        Assert.Equal(Styles.Warm, CountingStyleDistiller.Distill([Item("correction", 90, "gentle", 1), Item("correction", 90, "straight answers", 5)], now).Style);

        var corrections = Enumerable.Range(0, 7).Select(i => Item("correction", 90, $"rule {i}  " + new string('x', i == 0 ? 300 : 0), minutesAgo: i)).ToList();
        var learned = CountingStyleDistiller.Distill(corrections, now);
        Assert.Equal(5, learned.Rules.Count);
        Assert.StartsWith("rule 0 x", learned.Rules[0]);
        Assert.True(learned.Rules[0].Length <= LearningPolicy.MaxRuleLength);
        Assert.Equal("rule 4", learned.Rules[4]);
        Assert.Equal((7, now), (learned.FeedbackCount, learned.UpdatedAt!.Value));
    }
}
