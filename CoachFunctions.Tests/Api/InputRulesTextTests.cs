using CoachFunctions.Api;

namespace CoachFunctions.Tests.Api;

/// <summary>
/// Display text as the routes read it: length in text elements (what a person counts), at least one
/// visible character, bidirectional overrides, embeddings and isolates stripped before it is stored.
/// </summary>
public sealed class InputRulesTextTests
{
    private static string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, n));

    [Theory]
    [InlineData("", 0)]
    [InlineData("Stretch", 7)]
    [InlineData("😀", 1)]
    [InlineData("👨‍👩‍👧‍👦", 1)]      // a ZWJ family is one element
    [InlineData("👍🏽", 1)]           // with a skin tone
    [InlineData("🇳🇵", 1)]           // a flag: two regional indicators
    [InlineData("e\u0301", 1)]      // e + combining acute
    [InlineData("跑步", 2)]
    [InlineData("a\r\nb", 3)]       // CR LF is one element
    public void Length_is_counted_in_text_elements(string text, int expected) =>
        Assert.Equal(expected, InputRules.TextLength(text));

    [Theory]
    [InlineData("\u200B")]          // zero width space
    [InlineData("\u200D")]          // zero width joiner
    [InlineData("\u202E")]          // right-to-left override
    [InlineData("\u2060\uFEFF")]    // word joiner, BOM
    [InlineData(" \u00A0\u3000 ")]  // spaces of every width
    [InlineData("\u0301\uFE0F")]    // marks with nothing to sit on
    [InlineData("\u3164")]          // Hangul filler: a letter by category, blank on screen
    [InlineData("\u2800")]          // braille blank
    [InlineData("\u00AD")]          // soft hyphen
    [InlineData("")]
    public void Text_with_nothing_to_see_has_no_visible_character(string text) =>
        Assert.False(InputRules.HasVisibleCharacter(text));

    [Theory]
    [InlineData("a")]
    [InlineData("\u200Ba\u200B")]
    [InlineData("😀")]
    [InlineData("e\u0301")]
    [InlineData("١")]               // Arabic-Indic digit one
    [InlineData("-")]
    public void Text_with_something_to_see_has_a_visible_character(string text) =>
        Assert.True(InputRules.HasVisibleCharacter(text));

    [Theory]
    [InlineData("\u202EStretch\u202C", "Stretch")]
    [InlineData("a\u202Ab\u202Bc\u202Cd\u202De\u202Ef", "abcdef")]
    [InlineData("\u2066x\u2067y\u2068z\u2069", "xyz")]
    [InlineData("שלום \u200Fok", "שלום \u200Fok")] // marks (RLM) are not overrides: kept
    [InlineData("plain", "plain")]
    public void Bidirectional_overrides_embeddings_and_isolates_are_stripped(string text, string expected) =>
        Assert.Equal(expected, InputRules.StripBidiControls(text));

    [Fact]
    public void Fifty_one_emoji_are_a_name_of_fifty_one_characters()
    {
        Assert.True(InputRules.TryCleanDisplayText(Repeat("😀", 51), 100, allowNewlines: false, out var text));
        Assert.Equal(Repeat("😀", 51), text);
        Assert.True(InputRules.TryCleanDisplayText(Repeat("👨‍👩‍👧‍👦", 100), 100, allowNewlines: false, out _));
        Assert.False(InputRules.TryCleanDisplayText(Repeat("😀", 101), 100, allowNewlines: false, out _));
    }

    [Theory]
    [InlineData("  Stretch  ", "Stretch")]
    [InlineData("\u202E Stretch \u202C", "Stretch")]   // stripped, then trimmed
    [InlineData("   ", "")]                           // empty: the route decides whether that clears or is missing
    [InlineData("two\nlines", null)]                  // no line breaks where none are allowed
    [InlineData("bell\u0007", null)]
    [InlineData("\u200B", null)]
    [InlineData("\u202E\u202C", null)]                // nothing left but nothing was empty either: invisible, refused
    public void Clean_display_text_without_line_breaks(string input, string? expected)
    {
        var ok = InputRules.TryCleanDisplayText(input, 100, allowNewlines: false, out var text);
        Assert.Equal(expected is not null, ok);
        if (expected is not null) Assert.Equal(expected, text);
    }

    [Fact]
    public void A_lone_surrogate_is_refused() => // not in InlineData: test discovery would turn it into U+FFFD
        Assert.False(InputRules.TryCleanDisplayText("ok\uD800", 100, allowNewlines: false, out _));

    [Fact]
    public void Limits_count_what_remains_after_stripping() =>
        Assert.True(InputRules.TryCleanDisplayText("\u202E" + new string('a', 100) + "\u202C", 100, allowNewlines: false, out _));

    [Fact]
    public void One_element_may_not_hide_a_flood_of_combining_marks()
    {
        // Counted in text elements, "a" with 500 marks is one character; it must not become 1 KB of name.
        Assert.False(InputRules.TryCleanDisplayText("a" + Repeat("\u0301", 500), 100, allowNewlines: false, out _));
        Assert.True(InputRules.TryCleanDisplayText("👨🏻‍👩🏻‍👧🏻‍👦🏻", 100, allowNewlines: false, out _)); // the longest everyday element
    }

    [Fact]
    public void Line_breaks_are_kept_where_paragraphs_make_sense()
    {
        Assert.True(InputRules.TryCleanDisplayText("one\ntwo", 500, allowNewlines: true, out var text));
        Assert.Equal("one\ntwo", text);
        Assert.False(InputRules.TryCleanDisplayText("\n\u200B\n", 500, allowNewlines: true, out _));
    }
}
