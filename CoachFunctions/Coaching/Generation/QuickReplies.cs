using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Coaching.Generation;

/// <summary>The one-tap answers each prompt type offers (seed 000 for habit_missed and daily_checkin).</summary>
public static class QuickReplies
{
    public const string CompleteNow = "complete_now";
    public const string SkipToday = "skip_today";
    public const string AdjustHabit = "adjust_habit";
    public const string TalkAboutChallenge = "talk_about_challenge";
    public const string SharePlan = "share_plan";
    public const string ReviewYesterday = "review_yesterday";
    public const string NeedEncouragement = "need_encouragement";
    public const string Later = "later";

    public static readonly IReadOnlySet<string> AllValues = new HashSet<string>(StringComparer.Ordinal)
    {
        CompleteNow, SkipToday, AdjustHabit, TalkAboutChallenge, SharePlan, ReviewYesterday, NeedEncouragement, Later,
    };

    public static IReadOnlyList<QuickReply> For(string type, string locale, DetectionFacts facts)
    {
        var zh = PromptTemplates.Normalize(locale) == "zh-CN";
        var habit = facts.HabitName ?? (zh ? "这个习惯" : "it");
        return type switch
        {
            PromptTypes.HabitMissed or PromptTypes.PatternChange when facts.HabitId is not null => zh
                ? [new($"现在完成{habit}", CompleteNow), new("今天跳过，明天再继续", SkipToday), new("需要调整这个习惯", AdjustHabit), new("和我聊聊为什么难坚持", TalkAboutChallenge)]
                : [new($"Do {habit} now", CompleteNow), new("Skip today, continue tomorrow", SkipToday), new("Adjust this habit", AdjustHabit), new("Talk about why it's hard", TalkAboutChallenge)],
            PromptTypes.MilestoneReached => zh
                ? [new("分享今日计划", SharePlan), new("需要一些鼓励", NeedEncouragement)]
                : [new("Share today's plan", SharePlan), new("I'd like some encouragement", NeedEncouragement)],
            PromptTypes.ProgressStalled or PromptTypes.SilentPeriod or PromptTypes.ContextChange => zh
                ? [new("和我聊聊遇到的困难", TalkAboutChallenge), new("需要一些鼓励", NeedEncouragement), new("分享今日计划", SharePlan), new("今天晚点再聊", Later)]
                : [new("Talk about what's hard", TalkAboutChallenge), new("I'd like some encouragement", NeedEncouragement), new("Share today's plan", SharePlan), new("Later today", Later)],
            _ => zh
                ? [new("分享今日计划", SharePlan), new("回顾昨日进展", ReviewYesterday), new("需要一些鼓励", NeedEncouragement), new("今天晚点再聊", Later)]
                : [new("Share today's plan", SharePlan), new("Review yesterday", ReviewYesterday), new("I'd like some encouragement", NeedEncouragement), new("Later today", Later)],
        };
    }
}
