using System.Globalization;
using CoachFunctions.Coaching.Generation;

namespace CoachFunctions.Coaching.Welcome;

/// <summary>
/// Deterministic welcome lines in en and zh-CN: what the bubble shows without an LLM, or when the
/// LLM's line is unusable. Each page has wordings from the most specific to the most general; the
/// first whose facts hold and whose filled text is valid (the seed's bounds, and at most
/// <see cref="MaxLength"/> characters, what the bubble shows) wins. A long or Latin habit name thus
/// falls through to a wording without it rather than being cut off or breaking the CJK rule.
/// </summary>
public static class WelcomeTemplates
{
    /// <summary>The bubble shows at most 40 characters (seed 002: ≤ 40 字); a template never needs cutting.</summary>
    public const int MaxLength = 40;

    /// <summary>The seed's validator bounds, with the bubble's own maximum.</summary>
    private static readonly GenerationOptions Bounds = new() { MinLength = 10, MaxLength = MaxLength };

    private sealed record Wording(string Text, Func<WelcomeContext, bool>? When = null);

    private static WelcomeHabit? Best(WelcomeContext c) => c.Habits.Where(h => h.Streak >= 2).MaxBy(h => h.Streak);
    private static int LeftToday(WelcomeContext c) => c.Habits.Count(h => h.DueToday && !h.DoneToday);
    private static bool AllDoneToday(WelcomeContext c) => c.Habits.Any(h => h.DueToday) && LeftToday(c) == 0;
    private static bool Away(WelcomeContext c) => c.DaysSinceActive >= 3;

    private enum DayPart { Morning, Afternoon, Evening }

    private static DayPart PartOf(TimeOnly t) => t.Hour switch { >= 5 and < 12 => DayPart.Morning, >= 12 and < 18 => DayPart.Afternoon, _ => DayPart.Evening };

    private static readonly Dictionary<(string Locale, string Page), Wording[]> Wordings = new()
    {
        [("en", WelcomePages.Feed)] =
        [
            new("{open} notes from your coach are waiting.", c => c.OpenPrompts >= 2),
            new("A note from your coach is waiting.", c => c.OpenPrompts == 1),
            new("Welcome back! One small step today?", Away),
            new("All done for today. Nicely done!", AllDoneToday),
            new("Good morning! What's your plan today?", c => PartOf(c.LocalTime) == DayPart.Morning),
            new("Good afternoon! How is today going?", c => PartOf(c.LocalTime) == DayPart.Afternoon),
            new("Good evening! How did today go?"),
        ],
        [("zh-CN", WelcomePages.Feed)] =
        [
            new("教练给你留了{open}条消息，去看看吧。", c => c.OpenPrompts >= 2),
            new("教练给你留了一条消息，去看看吧。", c => c.OpenPrompts == 1),
            new("欢迎回来！今天迈出一小步吧。", Away),
            new("今天的习惯都完成了，真棒！", AllDoneToday),
            new("早上好！今天有什么计划？", c => PartOf(c.LocalTime) == DayPart.Morning),
            new("下午好！今天进展如何？", c => PartOf(c.LocalTime) == DayPart.Afternoon),
            new("晚上好！今天过得怎么样？"),
        ],
        [("en", WelcomePages.Habits)] =
        [
            new("{habit}: {streak} days in a row!", c => Best(c) is not null),
            new("A {streak}-day streak. Keep it going!", c => Best(c) is not null),
            new("All done for today. Nicely done!", AllDoneToday),
            new("One habit left today. You've got this!", c => LeftToday(c) == 1),
            new("{left} habits left today. You've got this!", c => LeftToday(c) >= 2),
            new("Start with one small habit today.", c => c.Habits.Count == 0),
            new("Every check-in counts. Keep going!"),
        ],
        [("zh-CN", WelcomePages.Habits)] =
        [
            new("{habit}已连续{streak}天，继续保持！", c => Best(c) is not null),
            new("已经连续坚持{streak}天了，继续保持！", c => Best(c) is not null),
            new("今天的习惯都完成了，真棒！", AllDoneToday),
            new("今天还有{left}个习惯，加油！", c => LeftToday(c) >= 1),
            new("从一个小习惯开始吧，今天就行动。", c => c.Habits.Count == 0),
            new("每一次打卡都算数，继续加油！"),
        ],
        [("en", WelcomePages.Preferences)] =
        [
            new("Tune when and how your coach speaks."),
        ],
        [("zh-CN", WelcomePages.Preferences)] =
        [
            new("在这里调整教练提醒你的时间和方式。"),
        ],
        [("en", WelcomePages.Admin)] =
        [
            new("Here's how the coach is doing today."),
        ],
        [("zh-CN", WelcomePages.Admin)] =
        [
            new("来看看教练今天的表现吧。"),
        ],
    };

    /// <summary>The line for the context's page and locale (en for any other locale).</summary>
    public static string Render(WelcomeContext context)
    {
        var locale = PromptTemplates.Normalize(context.Locale);
        var wordings = Wordings[(locale, context.Page)];
        foreach (var wording in wordings.Where(w => w.When is null || w.When(context)))
        {
            var text = Fill(wording.Text, context);
            if (OutputValidator.ValidateLine(text, locale, Bounds).Count == 0) return text;
        }
        // The last wording of every page names no user data and is checked by the tests; reaching here means one of them broke.
        return Fill(wordings[^1].Text, context);
    }

    private static string Fill(string text, WelcomeContext c) => text
        .Replace("{habit}", Best(c)?.Name ?? "")
        .Replace("{streak}", Number(Best(c)?.Streak ?? 0))
        .Replace("{left}", Number(LeftToday(c)))
        .Replace("{open}", Number(c.OpenPrompts));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
