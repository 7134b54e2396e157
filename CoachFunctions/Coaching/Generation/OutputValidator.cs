using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CoachFunctions.Coaching.Generation;

/// <summary>
/// Checks an LLM answer before it reaches a user (seed 002, spec §3). Pure: the same input always
/// gives the same reasons. Lengths are counted in text elements (grapheme clusters: an emoji or an
/// accented letter is one), which is what a reader sees as one character.
/// </summary>
public static partial class OutputValidator
{
    /// <summary>Titles are notification headings; longer ones are cut off on phones.</summary>
    public const int TitleMaxLength = 80;

    /// <summary>zh-CN: at least this share of the counted characters must be CJK ideographs.</summary>
    public const double MinCjkRatio = 0.5;

    public static IReadOnlyList<string> Validate(string? title, string? message, string locale, GenerationOptions options)
    {
        var reasons = new List<string>();
        if (string.IsNullOrWhiteSpace(title)) reasons.Add("empty_title");
        if (string.IsNullOrWhiteSpace(message)) reasons.Add("empty_message");
        if (reasons.Count > 0) return reasons;

        var titleLength = new StringInfo(title!.Trim()).LengthInTextElements;
        if (titleLength > TitleMaxLength) reasons.Add($"title_too_long ({titleLength} > {TitleMaxLength})");
        if (title.Contains('\n')) reasons.Add("title_multiline");
        Check(reasons, [title, message!], message!, locale, options);
        return reasons.Distinct().ToList();
    }

    /// <summary>
    /// The same rules for a message that has no title (the welcome bubble's one line, seed 002):
    /// non-empty, the length bounds, for zh-CN at least 50% CJK, no code, markdown or unlisted URLs,
    /// and on one line (a bubble has no room for a second).
    /// </summary>
    public static IReadOnlyList<string> ValidateLine(string? message, string locale, GenerationOptions options)
    {
        if (string.IsNullOrWhiteSpace(message)) return ["empty_message"];
        var reasons = new List<string>();
        if (message.Trim().Contains('\n')) reasons.Add("message_multiline");
        Check(reasons, [message], message, locale, options);
        return reasons.Distinct().ToList();
    }

    private static void Check(List<string> reasons, string[] texts, string message, string locale, GenerationOptions options)
    {
        var length = new StringInfo(message.Trim()).LengthInTextElements;
        if (length < options.MinLength) reasons.Add($"message_too_short ({length} < {options.MinLength})");
        if (length > options.MaxLength) reasons.Add($"message_too_long ({length} > {options.MaxLength})");

        if (PromptTemplates.Normalize(locale) == "zh-CN")
        {
            var ratio = CjkRatio(string.Concat(texts));
            if (ratio < MinCjkRatio) reasons.Add($"not_enough_cjk ({ratio:P0})");
        }

        foreach (var text in texts)
        {
            if (text.Contains("```")) reasons.Add("code_fence");
            else if (Markdown().IsMatch(text)) reasons.Add("markdown");
            foreach (var host in Hosts(text))
                if (!IsAllowed(host, options.AllowedUrlHosts)) reasons.Add($"url ({host})");
        }
    }

    /// <summary>
    /// CJK ideographs among the characters that carry language: letters of any script, counted by
    /// Unicode scalar. Whitespace, punctuation (both ASCII and full-width ，。！？), digits, symbols
    /// (emoji) and combining marks are not counted, so "今天跑步3公里！" is 100% CJK.
    /// Returns 0 for text with no counted character.
    /// </summary>
    public static double CjkRatio(string text)
    {
        int counted = 0, cjk = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || Rune.IsPunctuation(rune) || Rune.IsDigit(rune) || Rune.IsNumber(rune)
                || Rune.IsSymbol(rune) || Rune.IsControl(rune)
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
                continue;
            counted++;
            if (IsCjkIdeograph(rune.Value)) cjk++;
        }
        return counted == 0 ? 0 : (double)cjk / counted;
    }

    /// <summary>The CJK Unified Ideographs blocks (base, extensions A to I) and the compatibility ideographs.</summary>
    public static bool IsCjkIdeograph(int c) =>
        c is >= 0x4E00 and <= 0x9FFF      // CJK Unified Ideographs
          or >= 0x3400 and <= 0x4DBF      // Extension A
          or >= 0xF900 and <= 0xFAFF      // Compatibility Ideographs
          or >= 0x20000 and <= 0x323AF    // Extensions B to H (planes 2 and 3)
          or >= 0x2EBF0 and <= 0x2EE5F;   // Extension I

    /// <summary>The hosts of every URL or bare domain in the text, lower-cased.</summary>
    public static IEnumerable<string> Hosts(string text) =>
        Url().Matches(text).Select(m => m.Groups["host"].Value.TrimEnd('.').ToLowerInvariant()).Distinct();

    private static bool IsAllowed(string host, IEnumerable<string> allowed)
    {
        if (host.StartsWith("www.", StringComparison.Ordinal)) host = host[4..];
        return allowed.Select(a => a.Trim().ToLowerInvariant()).Any(a =>
            host == a || host.EndsWith("." + a, StringComparison.Ordinal) || (a.StartsWith("www.", StringComparison.Ordinal) && host == a[4..]));
    }

    /// <summary>
    /// Markdown a notification would show as raw symbols: headings, quotes, list bullets and numbers
    /// at a line start, emphasis (**x**, __x__, *x*, _x_), inline code and links. A lone asterisk or
    /// underscore (5 * 3, snake_case) is not markdown.
    /// </summary>
    [GeneratedRegex(@"(?m)^\s{0,3}(#{1,6}\s|>\s?|[-*+]\s+\S|\d{1,3}[.)]\s+\S)|\*\*[^*\n]+\*\*|__[^_\n]+__|(?<![\w*])\*[^*\s][^*\n]*(?<!\s)\*(?![\w*])|(?<![\w_])_[^_\s][^_\n]*(?<!\s)_(?![\w_])|`[^`\n]+`|\[[^\]\n]*\]\([^)\n]*\)")]
    private static partial Regex Markdown();

    /// <summary>
    /// http(s)://host..., www.host, and bare domains whose last label is a common TLD (example.com,
    /// bit.ly, foo.cn). ASCII look-arounds instead of \b: CJK letters count as word characters, and
    /// "访问example.com" must still be caught.
    /// </summary>
    [GeneratedRegex(@"(?i)(?:https?://(?<host>[^\s/:?#""'<>）)]+)|(?<![A-Za-z0-9.@-])(?<host>www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)|(?<![A-Za-z0-9.@/-])(?<host>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:com|net|org|info|biz|io|ai|app|dev|co|me|ly|gg|tv|cc|xyz|top|site|online|shop|link|edu|gov|cn|uk|de|jp|fr|ru|us|ca|au|in|hk|tw|sg|kr|nl|eu))(?![A-Za-z0-9-]))")]
    private static partial Regex Url();
}
