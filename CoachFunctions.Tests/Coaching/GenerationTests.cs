using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Coaching.Responses;

namespace CoachFunctions.Tests.Coaching;

public sealed class GenerationTests
{
    private static readonly Detection Missed = new("u1", PromptTypes.HabitMissed, Priority.Medium, 0.8,
        new DetectionFacts { HabitId = "h1", HabitName = "跑步", MissedDays = 2, LocalDate = "2026-11-21" }, "habit_missed:h1:2026-11-21",
        DateTimeOffset.Parse("2026-11-21T10:00:00Z"));

    private static readonly PromptGenerator Template = new(new GenerationOptions());

    [Fact]
    public async Task A_zh_CN_user_gets_Chinese_text_and_the_seed_quick_replies()
    {
        var prompt = await Template.GenerateAsync(Missed, new UserPreferences { Locale = "zh-CN" }, LearnedStyle.None, DateTimeOffset.Parse("2026-11-21T10:00:01Z"), CancellationToken.None);
        Assert.Contains("跑步", prompt.Message);
        Assert.Contains("2", prompt.Message);
        Assert.Equal(["complete_now", "skip_today", "adjust_habit", "talk_about_challenge"], prompt.QuickReplies.Select(r => r.Value));
        Assert.Equal("现在完成跑步", prompt.QuickReplies[0].Text);
        Assert.Equal("template", prompt.Strategy);
    }

    [Fact]
    public async Task Daily_checkin_offers_the_seed_replies_in_English()
    {
        var checkin = Missed with { Type = PromptTypes.DailyCheckin, Facts = new DetectionFacts { LocalDate = "2026-11-21" }, DedupeKey = "daily_checkin:2026-11-21" };
        var prompt = await Template.GenerateAsync(checkin, new UserPreferences(), LearnedStyle.None, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(["share_plan", "review_yesterday", "need_encouragement", "later"], prompt.QuickReplies.Select(r => r.Value));
    }

    [Fact]
    public void Prompt_ids_sort_newest_first_and_name_their_moment()
    {
        var older = PromptIds.Create(DateTimeOffset.Parse("2026-11-20T10:00:00Z"), "k");
        var newer = PromptIds.Create(DateTimeOffset.Parse("2026-11-21T10:00:00Z"), "k");
        Assert.True(string.CompareOrdinal(newer, older) < 0);
        Assert.True(PromptIds.IsWellFormed(newer));
        Assert.False(PromptIds.IsWellFormed("../etc/passwd"));
        Assert.False(PromptIds.IsWellFormed("0000000000000000000DEADBEEF"));
    }

    [Fact]
    public async Task Complete_now_plans_the_completion_and_answers_are_refused_once_answered()
    {
        var prompt = await Template.GenerateAsync(Missed, new UserPreferences(), LearnedStyle.None, DateTimeOffset.UtcNow, CancellationToken.None);
        var (plan, refusal) = ResponsePlanner.Plan(prompt, "complete_now", null, new DateOnly(2026, 11, 21));
        Assert.Null(refusal);
        Assert.Equal(new HabitCompletion("h1", new DateOnly(2026, 11, 21)), plan!.Completion);

        Assert.Equal(ResponseRefusal.AlreadyAnswered, ResponsePlanner.Plan(prompt with { State = PromptStates.Responded }, "later", null, default).Refusal);
        Assert.Equal(ResponseRefusal.NotOpen, ResponsePlanner.Plan(prompt with { State = PromptStates.Expired }, "skip_today", null, default).Refusal);
        Assert.Equal(ResponseRefusal.UnknownReply, ResponsePlanner.Plan(prompt, "share_plan", null, default).Refusal);
        Assert.Null(ResponsePlanner.Plan(prompt, null, "I was travelling", default).Refusal);
    }
}
