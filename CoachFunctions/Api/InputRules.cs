using System.Globalization;

namespace CoachFunctions.Api;

/// <summary>The shapes user input must have, shared by every route so each field means the same everywhere.</summary>
public static partial class InputRules
{
    /// <summary>A 24-hour <c>HH:mm</c> time, exactly: two digits each, nothing around them.</summary>
    public static bool TryParseTime(string? text, out TimeOnly time)
    {
        time = default;
        return text is { Length: 5 } && text[2] == ':' && text.Where((_, i) => i != 2).All(char.IsAsciiDigit)
               && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    /// <summary>A calendar date written <c>yyyy-MM-dd</c>, exactly.</summary>
    public static bool TryParseDate(string? text, out DateOnly date)
    {
        date = default;
        return text is { Length: 10 } && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>An English weekday name (<c>monday</c>, any case); never a number.</summary>
    public static bool TryParseWeekday(string? text, out DayOfWeek day)
    {
        day = default;
        if (text is null) return false;
        foreach (var d in Enum.GetValues<DayOfWeek>())
        {
            if (!string.Equals(d.ToString(), text, StringComparison.OrdinalIgnoreCase)) continue;
            day = d;
            return true;
        }
        return false;
    }

    public static string WeekdayName(DayOfWeek day) => day.ToString().ToLowerInvariant();

    /// <summary>Free text a user wrote: no control characters, except line breaks where a paragraph makes sense.</summary>
    public static bool IsCleanText(string text, bool allowNewlines) =>
        text.All(c => !char.IsControl(c) || (allowNewlines && c == '\n'))
        // Lone surrogates cannot be stored or echoed faithfully.
        && !HasLoneSurrogate(text);

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }

    /// <summary>
    /// A user id an admin may name: what a token subject can be and a table key can hold (no
    /// <c>/ \ # ?</c>, no control characters), at most 128 characters.
    /// </summary>
    public static bool IsUserId(string? id) =>
        id is { Length: > 0 and <= 128 } && id.Trim() == id && !id.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?') && !HasLoneSurrogate(id);
}
