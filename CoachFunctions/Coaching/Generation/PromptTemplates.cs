using System.Globalization;
using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Coaching.Generation;

/// <summary>
/// Deterministic, localized wording for every prompt type: the <c>template</c> strategy, and the
/// fallback whenever an LLM is absent or its answer is unusable. Each type has wordings from the
/// most specific to the most general; the first whose facts are all present is used, so a missing
/// fact never shows up as "0 days" or an empty quote.
/// </summary>
public static class PromptTemplates
{
    private sealed record Wording(string Title, string Message, Func<DetectionFacts, bool>? When = null);

    private static bool Has(int? value) => value is > 0;

    private static readonly Dictionary<(string Locale, string Type), Wording[]> Wordings = new()
    {
        [("en", PromptTypes.HabitMissed)] =
        [
            new("Let's get {habit} back on track",
                "You've missed {habit} for {missed} days in a row. A small step today keeps the habit alive. What would help?", f => Has(f.MissedDays)),
            new("Let's get {habit} back on track", "{habit} has slipped for a few days. A small step today keeps the habit alive. What would help?"),
        ],
        [("zh-CN", PromptTypes.HabitMissed)] =
        [
            new("一起把{habit}找回来", "你已经连续{missed}天没有完成{habit}了。今天迈出一小步，习惯就还在。需要我怎么帮你？", f => Has(f.MissedDays)),
            new("一起把{habit}找回来", "这几天{habit}中断了。今天迈出一小步，习惯就还在。需要我怎么帮你？"),
        ],
        [("en", PromptTypes.DailyCheckin)] = [new("Daily check-in", "Good to see you today! How are things going, and what's your plan for today?")],
        [("zh-CN", PromptTypes.DailyCheckin)] = [new("每日签到", "今天过得怎么样？来聊聊今天的计划吧。")],
        [("en", PromptTypes.ProgressStalled)] =
        [
            new("Let's get moving again", "It's been {days} days without progress. That's normal; let's find one easy win for today.", f => Has(f.DaysSince)),
            new("Let's get moving again", "It's been a few days without progress. That's normal; let's find one easy win for today."),
        ],
        [("zh-CN", PromptTypes.ProgressStalled)] =
        [
            new("重新动起来", "已经{days}天没有进展了，这很正常。我们一起找一个今天就能完成的小目标吧。", f => Has(f.DaysSince)),
            new("重新动起来", "这几天进展停了下来，这很正常。我们一起找一个今天就能完成的小目标吧。"),
        ],
        [("en", PromptTypes.WeeklyReview)] =
        [
            new("Your weekly review ({week})", "Week {week} is wrapping up. Let's look back at what went well and plan the week ahead.", f => f.Week is not null),
            new("Your weekly review", "Another week is wrapping up. Let's look back at what went well and plan the week ahead."),
        ],
        [("zh-CN", PromptTypes.WeeklyReview)] =
        [
            new("每周回顾（{week}）", "{week}这一周快结束了。一起回顾这周做得好的地方，再规划一下下周吧。", f => f.Week is not null),
            new("每周回顾", "这一周快结束了。一起回顾这周做得好的地方，再规划一下下周吧。"),
        ],
        [("en", PromptTypes.MilestoneReached)] =
        [
            new("Goal reached!", "You've completed {habit} {goal} times and reached your goal. That's a real achievement, well done!", f => Has(f.GoalDays)),
            new("Milestone reached!", "You've kept {habit} going for {streak} days in a row. That's a real achievement, well done!", f => Has(f.Streak ?? f.StreakBefore)),
            new("Milestone reached!", "You've reached a milestone with {habit}. That's a real achievement, well done!"),
        ],
        [("zh-CN", PromptTypes.MilestoneReached)] =
        [
            new("达成目标！", "你已经完成{habit}{goal}次，达成了目标，真了不起！", f => Has(f.GoalDays)),
            new("达成里程碑！", "你已经连续坚持{habit}{streak}天了，真了不起！", f => Has(f.Streak ?? f.StreakBefore)),
            new("达成里程碑！", "你在{habit}上达成了一个里程碑，真了不起！"),
        ],
        [("en", PromptTypes.SilentPeriod)] =
        [
            new("We miss you", "It's been {days} days. Whenever you're ready, a tiny step is enough to start again.", f => Has(f.DaysSince)),
            new("We miss you", "It's been a while. Whenever you're ready, a tiny step is enough to start again."),
        ],
        [("zh-CN", PromptTypes.SilentPeriod)] =
        [
            new("好久不见", "已经{days}天没见到你了。准备好的时候，一小步就足以重新开始。", f => Has(f.DaysSince)),
            new("好久不见", "有一阵子没见到你了。准备好的时候，一小步就足以重新开始。"),
        ],
        [("en", PromptTypes.PatternChange)] =
        [
            new("Something changed", "You've been doing {habit} at a different time of day lately. Does the new time work for you?", f => f.Pattern == PatternChangeRule.TimeShift),
            new("Something changed", "{habit} has been harder to fit in this week than before. Want to talk about what changed?", f => f.Pattern == PatternChangeRule.RateDrop),
            new("Something changed", "Your routine with {habit} looks different lately. Want to talk about what changed?"),
        ],
        [("zh-CN", PromptTypes.PatternChange)] =
        [
            new("节奏有变化", "最近你做{habit}的时间和以前不太一样，新的时间适合你吗？", f => f.Pattern == PatternChangeRule.TimeShift),
            new("节奏有变化", "这周{habit}比以前难坚持了，想聊聊发生了什么吗？", f => f.Pattern == PatternChangeRule.RateDrop),
            new("节奏有变化", "最近你做{habit}的节奏有些不同，想聊聊发生了什么吗？"),
        ],
        [("en", PromptTypes.ContextChange)] =
        [
            new("Adjusting to {kind}", "You mentioned {kind}: \"{note}\". Let's adapt your habits so they still fit.", f => f.ContextKind is not null && !string.IsNullOrWhiteSpace(f.ContextNote)),
            new("Adjusting to {kind}", "You mentioned {kind}. Let's adapt your habits so they still fit.", f => f.ContextKind is not null),
            new("Adjusting to change", "Things around you have changed. Let's adapt your habits so they still fit."),
        ],
        [("zh-CN", PromptTypes.ContextChange)] =
        [
            new("适应{kind}", "你提到了{kind}：“{note}”。我们一起调整一下习惯，让它们依然适合你。", f => f.ContextKind is not null && !string.IsNullOrWhiteSpace(f.ContextNote)),
            new("适应{kind}", "你提到了{kind}。我们一起调整一下习惯，让它们依然适合你。", f => f.ContextKind is not null),
            new("适应新变化", "你的生活有了新的变化，我们一起调整一下习惯，让它们依然适合你。"),
        ],
    };

    /// <summary>Context kinds the app reports; an unknown kind is shown as-is in English and generically in Chinese.</summary>
    private static readonly Dictionary<string, (string En, string Zh)> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["travel"] = ("travel", "出行"),
        ["illness"] = ("illness", "生病"),
        ["sick"] = ("illness", "生病"),
        ["schedule_change"] = ("a schedule change", "日程变化"),
        ["move"] = ("a move", "搬家"),
        ["new_job"] = ("a new job", "新工作"),
        ["holiday"] = ("a holiday", "假期"),
        ["vacation"] = ("a vacation", "假期"),
    };

    public static (string Title, string Message) Render(string type, string locale, DetectionFacts facts)
    {
        locale = Normalize(locale);
        var wordings = Wordings.GetValueOrDefault((locale, type)) ?? Wordings[(UserPreferences.DefaultLocale, type)];
        var wording = wordings.First(w => w.When is null || w.When(facts));
        return (Fill(wording.Title, facts, locale), Fill(wording.Message, facts, locale));
    }

    internal static string Normalize(string locale) =>
        UserPreferences.SupportedLocales.FirstOrDefault(l => string.Equals(l, locale, StringComparison.OrdinalIgnoreCase))
        ?? UserPreferences.DefaultLocale;

    private static string Fill(string text, DetectionFacts facts, string locale)
    {
        var zh = locale == "zh-CN";
        return text
            .Replace("{habit}", facts.HabitName ?? (zh ? "这个习惯" : "your habit"))
            .Replace("{missed}", Number(facts.MissedDays))
            .Replace("{streak}", Number(facts.Streak ?? facts.StreakBefore))
            .Replace("{goal}", Number(facts.GoalDays))
            .Replace("{days}", Number(facts.DaysSince))
            .Replace("{week}", facts.Week ?? "")
            .Replace("{kind}", KindName(facts.ContextKind, zh))
            .Replace("{note}", facts.ContextNote?.Trim() ?? "");
    }

    private static string Number(int? value) => (value ?? 0).ToString(CultureInfo.InvariantCulture);

    private static string KindName(string? kind, bool zh)
    {
        if (kind is null) return zh ? "新变化" : "a change";
        if (Kinds.TryGetValue(kind, out var known)) return zh ? known.Zh : known.En;
        return zh ? "新变化" : kind.Replace('_', ' ');
    }
}
