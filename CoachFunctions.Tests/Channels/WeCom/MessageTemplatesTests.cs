using CoachFunctions.Coaching.Channels.WeCom;

namespace CoachFunctions.Tests.Channels.WeCom;

public sealed class MessageTemplatesTests
{
    private static readonly Dictionary<string, string?> Values = new() { ["title"] = "Stretch", ["message"] = "Two minutes?", ["habitName"] = "Stretching", ["name"] = null };

    [Fact]
    public void Renders_placeholders_and_literal_braces()
    {
        Assert.Equal("Stretch\n\nTwo minutes?", MessageTemplates.Render(MessageTemplates.Defaults[MessageTemplates.WeComText], Values));
        Assert.Equal("{Stretching} for !", MessageTemplates.Render("{{{habitName}}} for {name}!", Values));
    }

    [Theory]
    [InlineData("{title} {message}")]
    [InlineData("Hi {name}, {{literal}}")]
    [InlineData("line one\nline two {habitName}")]
    public void Valid_templates_pass(string text) => Assert.Empty(MessageTemplates.Validate(MessageTemplates.WeComText, text));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("{titel}", "Unknown placeholder {titel}")]
    [InlineData("{title", "not closed")]
    [InlineData("title}", "closes nothing")]
    [InlineData("{ti{tle}", "not closed")]
    [InlineData("{}", "Unknown placeholder {}")]
    [InlineData("bell\u0007", "control")]
    public void Invalid_templates_say_why(string text, string why) =>
        Assert.Contains(MessageTemplates.Validate(MessageTemplates.WeComText, text), p => p.Contains(why, StringComparison.Ordinal));

    [Fact]
    public void Length_limits_are_per_template()
    {
        Assert.Empty(MessageTemplates.Validate(MessageTemplates.WeComText, new string('a', MessageTemplates.MaxLength)));
        Assert.NotEmpty(MessageTemplates.Validate(MessageTemplates.WeComText, new string('a', MessageTemplates.MaxLength + 1)));
        Assert.NotEmpty(MessageTemplates.Validate(MessageTemplates.WeComMiniProgramTitle, new string('a', 65)));
    }
}
