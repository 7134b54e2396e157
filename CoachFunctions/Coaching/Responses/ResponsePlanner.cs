using CoachFunctions.Coaching.Generation;

namespace CoachFunctions.Coaching.Responses;

/// <summary>Decides what a reply to a prompt means (seed 000's actions). Pure: the caller applies the plan.</summary>
public static class ResponsePlanner
{
    public static (ResponsePlan? Plan, ResponseRefusal? Refusal) Plan(CoachingPrompt prompt, string? value, string? text, DateOnly localToday)
    {
        if (prompt.State == PromptStates.Responded) return (null, ResponseRefusal.AlreadyAnswered);
        if (!PromptStates.IsOpen(prompt.State)) return (null, ResponseRefusal.NotOpen);

        var zh = prompt.Locale == "zh-CN";
        if (value is null)
            return (new ResponsePlan("free_text", zh ? "谢谢你的分享，我记下了。" : "Thanks for telling me. I've noted it.", null), null);

        if (!prompt.QuickReplies.Any(r => r.Value == value)) return (null, ResponseRefusal.UnknownReply);

        switch (value)
        {
            case QuickReplies.CompleteNow:
                if (prompt.Facts.HabitId is null) return (null, ResponseRefusal.NoHabit);
                var habit = prompt.Facts.HabitName ?? (zh ? "习惯" : "your habit");
                return (new ResponsePlan(value,
                    zh ? $"太棒了！{habit}已记录为今天完成。" : $"Great job! {habit} is recorded as done today.",
                    new HabitCompletion(prompt.Facts.HabitId, localToday)), null);
            default:
                return (new ResponsePlan(value, FollowUpFor(value, zh), null), null);
        }
    }

    private static string FollowUpFor(string value, bool zh) => value switch
    {
        QuickReplies.SkipToday => zh ? "没关系，休息一天也很正常。明天我们从一小步重新开始。" : "That's fine, a day off happens. Tomorrow we restart with a small step.",
        QuickReplies.AdjustHabit => zh ? "好的，我们来调整一下。你希望更简单、换个时间，还是改变频率？" : "Sure, let's adjust it. Should it be easier, at another time, or less often?",
        QuickReplies.TalkAboutChallenge => zh ? "我在听。是什么让它变得难以坚持？" : "I'm listening. What makes it hard to keep up?",
        QuickReplies.SharePlan => zh ? "很好！今天最重要的一件事是什么？" : "Great! What's the one thing that matters most today?",
        QuickReplies.ReviewYesterday => zh ? "我们来看看昨天：哪件事做得最好？" : "Let's look at yesterday: what went best?",
        QuickReplies.NeedEncouragement => zh ? "你已经走了这么远，每一小步都算数。我相信你！" : "You've come this far, and every small step counts. I believe in you!",
        QuickReplies.Later => zh ? "好的，我们晚点再聊。" : "Okay, let's talk later.",
        _ => zh ? "收到。" : "Got it.",
    };
}
