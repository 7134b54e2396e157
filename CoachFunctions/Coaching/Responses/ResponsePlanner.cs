using CoachFunctions.Coaching.Generation;

namespace CoachFunctions.Coaching.Responses;

/// <summary>
/// Decides what a reply to a prompt means (seed 000's actions) and what the coach says back, in
/// the prompt's locale. Pure: the caller stores the plan.
/// </summary>
public static class ResponsePlanner
{
    /// <summary>The free-text answer's action name in the interaction history.</summary>
    public const string FreeText = "free_text";

    /// <summary>Without history or preferences: for callers that only need the action's effect.</summary>
    public static (ResponsePlan? Plan, ResponseRefusal? Refusal) Plan(CoachingPrompt prompt, string? value, string? text, DateOnly localToday) =>
        Plan(new ResponseContext(new DateTimeOffset(localToday.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), localToday, UserPreferences.Default), prompt, value, text);

    public static (ResponsePlan? Plan, ResponseRefusal? Refusal) Plan(ResponseContext context, CoachingPrompt prompt, string? value, string? text)
    {
        switch (prompt.State)
        {
            case PromptStates.Responded: return (null, ResponseRefusal.AlreadyAnswered);
            case PromptStates.Dismissed: return (null, ResponseRefusal.Dismissed);
        }
        // Closed states (expired, failed) are NotOpen; Expired is an open prompt whose time ran out.
        if (!PromptStates.IsOpen(prompt.State)) return (null, ResponseRefusal.NotOpen);
        if (prompt.IsExpiredAt(context.Now)) return (null, ResponseRefusal.Expired);

        var zh = prompt.Locale == "zh-CN";
        var habitName = prompt.Facts.HabitName ?? (zh ? "这个习惯" : "your habit");
        if (value is null)
            return (new ResponsePlan(FreeText, zh ? "谢谢你的分享，我记下了。" : "Thanks for telling me. I've noted it.", null)
            {
                FollowUpTitle = zh ? "已记录" : "Noted",
            }, null);

        if (!prompt.QuickReplies.Any(r => r.Value == value)) return (null, ResponseRefusal.UnknownReply);
        var today = context.Today;

        switch (value)
        {
            case QuickReplies.CompleteNow:
            {
                if (prompt.Facts.HabitId is not { } habitId) return (null, ResponseRefusal.NoHabit);
                var habit = context.Habits.FirstOrDefault(h => h.Id == habitId);
                var done = new HashSet<DateOnly>(context.History.GetValueOrDefault(habitId)?.Days ?? new HashSet<DateOnly>()) { today };
                var streak = Streaks.Current(habit, done, today);
                var message = zh
                    ? streak > 1 ? $"太棒了！{habitName}今天已完成，你已经连续坚持{streak}天了。" : $"太棒了！{habitName}今天已完成，新的连续记录从今天开始。"
                    : streak > 1 ? $"Great job! {habitName} is done today: that's a {streak}-day streak." : $"Great job! {habitName} is done today: day one of a new streak.";
                return (new ResponsePlan(value, message, new HabitCompletion(habitId, today))
                {
                    NextStep = NextSteps.CelebrateCompletion,
                    FollowUpTitle = zh ? "做得好" : "Well done",
                    Streak = streak,
                }, null);
            }
            case QuickReplies.SkipToday:
            {
                if (prompt.Facts.HabitId is not { } habitId) return (null, ResponseRefusal.NoHabit);
                return (new ResponsePlan(value, zh
                    ? $"没关系，休息一天很正常。恢复计划：明天在平时的时间先做一个最简单的{habitName}，哪怕只有两分钟，我们从这一小步重新开始。"
                    : $"That's fine, a day off happens. Recovery plan: tomorrow, at your usual time, do the smallest version of {habitName}, even two minutes, and we rebuild from there.", null)
                {
                    NextStep = NextSteps.RecoveryPlan,
                    FollowUpTitle = zh ? "恢复计划" : "Recovery plan",
                    Interruption = new HabitInterruption(habitId, today, "user_skipped"),
                    FollowUpReplies = zh
                        ? [new("需要调整这个习惯", QuickReplies.AdjustHabit), new("需要一些鼓励", QuickReplies.NeedEncouragement)]
                        : [new("Adjust this habit", QuickReplies.AdjustHabit), new("I'd like some encouragement", QuickReplies.NeedEncouragement)],
                }, null);
            }
            case QuickReplies.AdjustHabit:
                return (new ResponsePlan(value, zh
                    ? $"好的，我们来调整{habitName}。你希望它更简单一些、换个时间，还是减少频率？"
                    : $"Sure, let's adjust {habitName}. Should it be easier, at another time of day, or less often?", null)
                {
                    NextStep = NextSteps.HabitAdjustment,
                    FollowUpTitle = zh ? "一起调整" : "Let's adjust",
                }, null);
            case QuickReplies.TalkAboutChallenge:
                return (new ResponsePlan(value, zh
                    ? $"我在听。最近是什么让{habitName}变得难以坚持？"
                    : $"I'm listening. What has made {habitName} hard to keep up lately?", null)
                {
                    NextStep = NextSteps.CoachingDialogue,
                    FollowUpTitle = zh ? "聊一聊" : "Let's talk",
                }, null);
            case QuickReplies.SharePlan:
                return (new ResponsePlan(value, zh
                    ? "很好！今天最重要的一件事是什么？告诉我，晚些时候我来问问进展。"
                    : "Great! What's the one thing that matters most today? Tell me, and I'll ask how it went.", null)
                {
                    NextStep = NextSteps.PlanSharing,
                    FollowUpTitle = zh ? "今日计划" : "Today's plan",
                }, null);
            case QuickReplies.ReviewYesterday:
                return (new ResponsePlan(value, ReviewOfYesterday(context, zh), null)
                {
                    NextStep = NextSteps.ProgressReview,
                    FollowUpTitle = zh ? "昨日回顾" : "Yesterday",
                }, null);
            case QuickReplies.NeedEncouragement:
            {
                var total = context.History.Values.Sum(h => h.Total);
                return (new ResponsePlan(value, zh
                    ? total > 0 ? $"你已经完成了{total}次打卡，每一小步都算数。我相信你！" : "每一小步都算数，开始本身就很了不起。我相信你！"
                    : total > 0 ? $"You've checked in {total} times so far, and every small step counts. I believe in you!" : "Every small step counts, and starting is the hardest part. I believe in you!", null)
                {
                    NextStep = NextSteps.Encouragement,
                    FollowUpTitle = zh ? "继续加油" : "Keep going",
                }, null);
            }
            case QuickReplies.Later:
            {
                if (SnoozePlanner.Until(context.Now, context.Snooze, context.Preferences, prompt.ExpiresAt) is not { } until)
                    return (null, ResponseRefusal.WouldExpire);
                var at = TimeZoneInfo.ConvertTime(until, context.Preferences.Zone).ToString("HH:mm");
                return (new ResponsePlan(value, zh ? $"好的，我会在{at}再来找你。" : $"Okay, I'll check back at {at}.", null)
                {
                    NextStep = NextSteps.Deferred,
                    FollowUpTitle = zh ? "稍后再聊" : "Later",
                    SnoozeUntil = until,
                }, null);
            }
            default:
                return (new ResponsePlan(value, zh ? "收到。" : "Got it.", null) { FollowUpTitle = zh ? "收到" : "Got it" }, null);
        }
    }

    /// <summary>Yesterday's scheduled habits and how many were done, from the recent history.</summary>
    private static string ReviewOfYesterday(ResponseContext context, bool zh)
    {
        var yesterday = context.Today.AddDays(-1);
        var due = context.Habits.Where(h => h.IsDueOn(yesterday)).ToList();
        var done = due.Count(h => context.History.GetValueOrDefault(h.Id)?.Days.Contains(yesterday) == true);
        if (due.Count == 0)
            return zh ? "昨天没有安排习惯。回想一下，昨天哪件事让你最满意？" : "No habits were scheduled yesterday. Looking back, what went best for you?";
        if (done == due.Count)
            return zh ? $"昨天计划的{due.Count}个习惯你全部完成了，非常棒！是什么帮你做到的？" : $"Yesterday you did all {due.Count} of your planned habits. Excellent! What helped you do it?";
        return zh
            ? $"昨天计划的{due.Count}个习惯完成了{done}个。是什么挡住了其余的？"
            : $"Yesterday you did {done} of {due.Count} planned habits. What got in the way of the rest?";
    }
}
