using CoachFunctions.Coaching.Generation;

namespace CoachFunctions.Tests.Generation;

public sealed class OutputValidatorTests
{
    private static readonly GenerationOptions Options = new() { AllowedUrlHosts = ["coach.example.org"] };

    public static TheoryData<string, string?, string?, string?> Cases => new()
    {
        // locale, title, message, expected reason (null: valid)
        { "en", "Back on track", "You've missed Reading for 3 days. Ten pages tonight?", null },
        { "en", "Keep going", "Done 5 * 3 sets of snake_case drills? Great.", null },
        { "en", "Tiny step", "Open coach.example.org/today to log it.", null },
        { "en", "Tiny step", "See https://www.coach.example.org/x for ideas.", null },
        { "zh-CN", "一起把跑步找回来", "你已经连续3天没有跑步了。今天跑10分钟，好吗？", null },
        { "zh-CN", "坚持", "今天也要坚持跑步加油 Morning 哦！", null },   // title and message: 13 CJK of 20 letters
        { "en", "", "A perfectly fine message here.", "empty_title" },
        { "en", "Title", "   ", "empty_message" },
        { "en", "Title", "Too short", "message_too_short" },
        { "en", "Title", new string('a', 201), "message_too_long" },
        { "en", new string('T', 81), "A perfectly fine message here.", "title_too_long" },
        { "zh-CN", "加油", "Keep going with your habit today, 加油！", "not_enough_cjk" },
        { "zh-CN", "Run", "Let's run today, ok?", "not_enough_cjk" },
        { "en", "Title", "```json\n{\"a\":1}\n```", "code_fence" },
        { "en", "Title", "**Great** job on your streak today!", "markdown" },
        { "en", "Title", "# Heading\nGreat job on your streak today!", "markdown" },
        { "en", "Title", "Two things:\n- drink water\n- stretch", "markdown" },
        { "en", "Title", "> quoted advice for your habit today", "markdown" },
        { "en", "Title", "Read [this guide](https://x.io) today.", "markdown" },
        { "en", "Title", "Try the `timer` feature today, please.", "markdown" },
        { "en", "Title", "You can do it, *really* you can today.", "markdown" },
        { "en", "Title", "Visit https://evil.example.com/win now!", "url (evil.example.com)" },
        { "en", "Title", "Visit www.habits.net for more tips today.", "url (www.habits.net)" },
        { "en", "Title", "Check example.com for tips on running.", "url (example.com)" },
        { "zh-CN", "提示", "欢迎访问example.cn了解更多跑步技巧吧。", "url (example.cn)" },
        { "en", "Title", "Lookalike coach.example.org.evil.io is not allowed.", "url (coach.example.org.evil.io)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Judges_outputs(string locale, string? title, string? message, string? expected)
    {
        var reasons = OutputValidator.Validate(title, message, locale, Options);
        if (expected is null) Assert.Empty(reasons);
        else Assert.Contains(reasons, r => r.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Lengths_count_text_elements_not_UTF16_units()
    {
        var family = "👨‍👩‍👧"; // one text element, eight UTF-16 units
        var options = new GenerationOptions { MinLength = 10, MaxLength = 12 };
        Assert.Empty(OutputValidator.Validate("Hi", "Hello you " + family + family, "en", options));        // 12 elements
        Assert.Contains(OutputValidator.Validate("Hi", "Hi" + family, "en", options), r => r.StartsWith("message_too_short")); // 3 elements
    }

    [Fact]
    public void The_cjk_ratio_counts_letters_only()
    {
        Assert.Equal(1.0, OutputValidator.CjkRatio("今天跑步3公里！🎉 ，。"));
        Assert.Equal(0.5, OutputValidator.CjkRatio("跑步 ab"));
        Assert.Equal(0.0, OutputValidator.CjkRatio("123 !!!"));
        Assert.True(OutputValidator.IsCjkIdeograph(0x20000)); // Extension B, outside the BMP
        Assert.False(OutputValidator.IsCjkIdeograph('ひ'));     // kana is not an ideograph
    }

    [Fact]
    public void Settings_are_checked_with_clear_messages()
    {
        var errors = new GenerationOptions { Strategy = "magic", MinLength = 50, MaxLength = 20, TimeoutSeconds = 0, AllowedUrlHosts = ["https://x.com/"] }.Validate();
        Assert.Contains(errors, e => e.Contains("Generation:Strategy"));
        Assert.Contains(errors, e => e.Contains("Generation:MaxLength"));
        Assert.Contains(errors, e => e.Contains("Generation:TimeoutSeconds"));
        Assert.Contains(errors, e => e.Contains("Generation:AllowedUrlHosts"));
        Assert.Empty(new GenerationOptions().Validate());
    }
}
