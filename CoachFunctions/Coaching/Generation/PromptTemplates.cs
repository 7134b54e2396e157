using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Coaching.Generation;

/// <summary>
/// Deterministic, localized wording for every prompt type: the <c>template</c> strategy, and the
/// fallback whenever an LLM is absent or its answer is unusable.
/// </summary>
public static class PromptTemplates
{
    private sealed record Wording(string Title, string Message);

    private static readonly Dictionary<(string Locale, string Type), Wording> Wordings = new()
    {
        [("en", PromptTypes.HabitMissed)] = new("Let's get {habit} back on track",
            "You've missed {habit} for {missed} days in a row. A small step today keeps the habit alive. What would help?"),
        [("zh-CN", PromptTypes.HabitMissed)] = new("一起把{habit}找回来",
            "你已经连续{missed}天没有完成{habit}了。今天迈出一小步，习惯就还在。需要我怎么帮你？"),
        [("en", PromptTypes.DailyCheckin)] = new("Daily check-in",
            "Good to see you today! How are things going, and what's your plan for today?"),
        [("zh-CN", PromptTypes.DailyCheckin)] = new("每日签到",
            "今天过得怎么样？来聊聊今天的计划吧。"),
        [("en", PromptTypes.ProgressStalled)] = new("Let's get moving again",
            "It's been a few days without progress. That's normal; let's find one easy win for today."),
        [("zh-CN", PromptTypes.ProgressStalled)] = new("重新动起来",
            "这几天进展停了下来，这很正常。我们一起找一个今天就能完成的小目标吧。"),
        [("en", PromptTypes.WeeklyReview)] = new("Your weekly review",
            "A new week is here. Let's look back at what went well and plan the week ahead."),
        [("zh-CN", PromptTypes.WeeklyReview)] = new("每周回顾",
            "新的一周开始了。一起回顾上周做得好的地方，再规划一下这周吧。"),
        [("en", PromptTypes.MilestoneReached)] = new("Milestone reached!",
            "You've kept {habit} going for {streak} days. That's a real achievement, well done!"),
        [("zh-CN", PromptTypes.MilestoneReached)] = new("达成里程碑！",
            "你已经坚持{habit}{streak}天了，真了不起！"),
        [("en", PromptTypes.SilentPeriod)] = new("We miss you",
            "It's been a while. Whenever you're ready, a tiny step is enough to start again."),
        [("zh-CN", PromptTypes.SilentPeriod)] = new("好久不见",
            "有一阵子没见到你了。准备好的时候，一小步就足以重新开始。"),
        [("en", PromptTypes.PatternChange)] = new("Something changed",
            "Your routine with {habit} looks different lately. Want to talk about what changed?"),
        [("zh-CN", PromptTypes.PatternChange)] = new("节奏有变化",
            "最近你做{habit}的节奏有些不同，想聊聊发生了什么吗？"),
        [("en", PromptTypes.ContextChange)] = new("Adjusting to change",
            "Things around you have changed. Let's adapt your habits so they still fit."),
        [("zh-CN", PromptTypes.ContextChange)] = new("适应新变化",
            "你的生活有了新的变化，我们一起调整一下习惯，让它们依然适合你。"),
    };

    public static (string Title, string Message) Render(string type, string locale, DetectionFacts facts)
    {
        var wording = Wordings.GetValueOrDefault((Normalize(locale), type))
                      ?? Wordings[(UserPreferences.DefaultLocale, type)];
        return (Fill(wording.Title, facts, locale), Fill(wording.Message, facts, locale));
    }

    internal static string Normalize(string locale) =>
        UserPreferences.SupportedLocales.FirstOrDefault(l => string.Equals(l, locale, StringComparison.OrdinalIgnoreCase))
        ?? UserPreferences.DefaultLocale;

    private static string Fill(string text, DetectionFacts facts, string locale) => text
        .Replace("{habit}", facts.HabitName ?? (Normalize(locale) == "zh-CN" ? "这个习惯" : "your habit"))
        .Replace("{missed}", (facts.MissedDays ?? 0).ToString())
        .Replace("{streak}", (facts.StreakBefore ?? 0).ToString());
}
