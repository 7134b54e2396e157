using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Generation;

namespace CoachFunctions.Tests.Coaching;

public sealed class PromptTemplateTests
{
    private static readonly DetectionFacts Full = new()
    {
        LocalDate = "2026-11-21", HabitId = "h1", HabitName = "跑步", MissedDays = 3, StreakBefore = 5, Streak = 21, DaysSince = 9,
        Week = "2026-W47", Pattern = "rate_drop", EventId = "e1", ContextKind = "travel", ContextNote = "下周去上海出差",
    };

    public static TheoryData<string, string> Every()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in PromptTypes.All.Order())
            foreach (var locale in UserPreferences.SupportedLocales)
                data.Add(type, locale);
        return data;
    }

    /// <summary>Share of CJK ideographs among the letters (digits, punctuation and ASCII facts aside).</summary>
    private static double CjkShare(string text)
    {
        var letters = text.Where(char.IsLetter).ToList();
        return (double)letters.Count(c => c is >= '\u4e00' and <= '\u9fff') / letters.Count;
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void Every_type_renders_in_every_locale_with_and_without_facts(string type, string locale)
    {
        foreach (var facts in new[] { Full, new DetectionFacts() })
        {
            var (title, message) = PromptTemplates.Render(type, locale, facts);
            Assert.False(string.IsNullOrWhiteSpace(title));
            Assert.False(string.IsNullOrWhiteSpace(message));
            Assert.DoesNotContain("{", title + message);
            Assert.DoesNotContain(" 0 ", $" {message} "); // a missing number never shows as zero
            Assert.DoesNotContain("0天", message);
            if (locale == "zh-CN") Assert.True(CjkShare(title + message) > 0.6, $"{type}: {title} {message}");
        }
    }

    [Theory]
    [InlineData(PromptTypes.MilestoneReached, "en", "21 days")]
    [InlineData(PromptTypes.MilestoneReached, "zh-CN", "21天")]
    [InlineData(PromptTypes.ProgressStalled, "en", "9 days")]
    [InlineData(PromptTypes.SilentPeriod, "zh-CN", "9天")]
    [InlineData(PromptTypes.WeeklyReview, "en", "2026-W47")]
    [InlineData(PromptTypes.ContextChange, "en", "travel")]
    [InlineData(PromptTypes.ContextChange, "zh-CN", "出行")]
    [InlineData(PromptTypes.ContextChange, "zh-CN", "下周去上海出差")]
    [InlineData(PromptTypes.HabitMissed, "zh-CN", "3天")]
    [InlineData(PromptTypes.PatternChange, "en", "harder to fit in")]
    public void The_new_facts_show_in_the_wording(string type, string locale, string expected)
    {
        var (title, message) = PromptTemplates.Render(type, locale, Full);
        Assert.Contains(expected, title + message);
    }

    [Theory]
    [InlineData("en", "10 times")]
    [InlineData("zh-CN", "10次")]
    public void A_goal_reached_is_worded_as_a_goal(string locale, string expected)
    {
        var (title, message) = PromptTemplates.Render(PromptTypes.MilestoneReached, locale, Full with { GoalDays = 10 });
        Assert.Contains(expected, message);
        Assert.DoesNotContain("21", title + message);
    }

    [Fact]
    public void New_types_offer_fitting_quick_replies_that_the_response_planner_knows()
    {
        foreach (var type in PromptTypes.All)
            Assert.All(QuickReplies.For(type, "zh-CN", Full), r => Assert.Contains(r.Value, QuickReplies.AllValues));
        Assert.Contains(QuickReplies.TalkAboutChallenge, QuickReplies.For(PromptTypes.ContextChange, "en", Full).Select(r => r.Value));
    }
}
