using System.Globalization;
using System.Text;

namespace CoachFunctions.Api;

/// <summary>
/// Display text: what users type for people to read back (habit names above all), so it is measured
/// as people count characters, must show something, and cannot reorder the text around it.
/// </summary>
public static partial class InputRules
{
    /// <summary>
    /// The display text a user typed (a habit name, instructions, a note, feedback, an answer) as it is
    /// stored: bidirectional overrides, embeddings and isolates stripped (<see cref="StripBidiControls"/>),
    /// then trimmed; at most <paramref name="maxLength"/> text elements; no control characters (line
    /// breaks only where <paramref name="allowNewlines"/>); and, unless it is empty, at least one
    /// visible character. Empty (nothing but white space) is for the route to judge: required, or "clears".
    /// </summary>
    public static bool TryCleanDisplayText(string value, int maxLength, bool allowNewlines, out string text)
    {
        text = StripBidiControls(value).Trim();
        if (text.Length == 0) return value.Trim().Length == 0; // only bidi controls is invisible text, not empty text
        return IsCleanText(text, allowNewlines) && HasVisibleCharacter(text) && FitsIn(text, maxLength);
    }

    /// <summary>The length a person counts: text elements (grapheme clusters), so an emoji or a ZWJ family is one, not 2 to 11 UTF-16 units.</summary>
    public static int TextLength(string text) => new StringInfo(text).LengthInTextElements;

    /// <summary>
    /// Counted in text elements, "a" followed by a thousand combining marks is one character; a cap per
    /// element keeps stored text within a small multiple of its limit. 32 units hold any everyday
    /// element (a ZWJ family with skin tones is 19), and Unicode's stream-safe format allows 30 marks.
    /// </summary>
    public const int MaxUnitsPerTextElement = 32;

    private static bool FitsIn(string text, int maxLength)
    {
        var count = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            if (++count > maxLength || elements.GetTextElement().Length > MaxUnitsPerTextElement) return false;
        }
        return true;
    }

    /// <summary>
    /// True when some code point would show: one that is not white space, not a control or format
    /// character (U+200B, ZWJ, U+202E, the BOM, the soft hyphen), not a non-spacing mark (an accent or
    /// a variation selector: alone it has nothing to sit on), and not one of the fillers that are
    /// letters or symbols by category but blank on screen.
    /// </summary>
    public static bool HasVisibleCharacter(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || IsBlankFiller(rune.Value)) continue;
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.NonSpacingMark) continue;
            return true;
        }
        return false;
    }

    // Hangul fillers (U+115F, U+1160, U+3164, U+FFA0) and the braille blank (U+2800).
    private static bool IsBlankFiller(int c) => c is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;

    /// <summary>
    /// Removes the bidirectional embeddings and overrides (U+202A-U+202E) and isolates
    /// (U+2066-U+2069). Stored text is shown inside other text (a notification, a list); an unclosed
    /// override there reverses what follows it, which can make a name display as something else.
    /// Right-to-left text needs none of them (the bidi algorithm orders it); the marks (U+200E, U+200F,
    /// U+061C) cannot override anything and are kept.
    /// </summary>
    public static string StripBidiControls(string text)
    {
        if (!text.Any(IsBidiControl)) return text;
        var kept = new StringBuilder(text.Length);
        foreach (var c in text)
            if (!IsBidiControl(c)) kept.Append(c);
        return kept.ToString();
    }

    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
