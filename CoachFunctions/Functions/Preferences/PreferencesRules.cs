using System.Text.Json.Serialization;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Functions.PromptFeedback;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.Preferences;

/// <summary>
/// Fields the caller may set; omitted (or null) fields keep their current value. An empty
/// <see cref="CustomInstructions"/> clears them.
/// </summary>
public sealed record PreferencesUpdate(
    string? TimeZone,
    string? Locale,
    string? PreferredTime,
    IReadOnlyList<string>? EnabledTypes,
    int? MaxPerDay,
    int? MaxPerHour,
    int? MinIntervalMinutes,
    QuietHoursUpdate? QuietHours,
    IReadOnlyList<string>? Channels,
    string? ReviewDay,
    string? ReviewTime,
    string? CustomInstructions);

/// <summary>Quiet hours; omitted members keep their current value.</summary>
public sealed record QuietHoursUpdate(bool? Enabled, string? Start, string? End);

public sealed record QuietHoursView(bool Enabled, string Start, string End);

/// <summary>Every preference with its effective value (defaults when unset; no instructions is an explicit null), and what was learned from feedback.</summary>
public sealed record PreferencesView(
    string TimeZone,
    string Locale,
    string PreferredTime,
    IReadOnlyList<string> EnabledTypes,
    int MaxPerDay,
    int MaxPerHour,
    int MinIntervalMinutes,
    QuietHoursView QuietHours,
    IReadOnlyList<string> Channels,
    string ReviewDay,
    string ReviewTime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? CustomInstructions,
    LearnedView Learned)
{
    public static PreferencesView From(UserPreferences p, LearnedStyle learned) => new(
        p.TimeZone, p.Locale, p.PreferredTime.ToString("HH:mm"), p.EnabledTypes, p.MaxPerDay, p.MaxPerHour, p.MinIntervalMinutes,
        new QuietHoursView(p.QuietHours.Enabled, p.QuietHours.Start.ToString("HH:mm"), p.QuietHours.End.ToString("HH:mm")),
        p.Channels, InputRules.WeekdayName(p.ReviewDay), p.ReviewTime.ToString("HH:mm"), p.CustomInstructions, LearnedView.From(learned));
}

/// <summary>How an update changes the preferences: every field validated before anything is saved.</summary>
public static class PreferencesRules
{
    public static readonly (int Min, int Max) MaxPerDayRange = (1, 20);
    public static readonly (int Min, int Max) MaxPerHourRange = (1, 10);
    public static readonly (int Min, int Max) MinIntervalRange = (0, 720);

    /// <summary>The preferences after the update, or every field that is wrong (then nothing may be saved).</summary>
    public static (UserPreferences Next, Dictionary<string, string[]> Errors) Apply(UserPreferences current, PreferencesUpdate u)
    {
        var errors = new Dictionary<string, string[]>();
        var next = current;

        if (u.TimeZone is not null)
        {
            if (TimeZones.TryCanonicalize(u.TimeZone, out var zone)) next = next with { TimeZone = zone };
            else errors["timeZone"] = ["Use an IANA time zone id such as Europe/Berlin or Asia/Shanghai."];
        }
        if (u.Locale is not null)
        {
            if (UserPreferences.SupportedLocales.FirstOrDefault(l => string.Equals(l, u.Locale, StringComparison.OrdinalIgnoreCase)) is { } locale)
                next = next with { Locale = locale };
            else errors["locale"] = [$"Supported locales: {string.Join(", ", UserPreferences.SupportedLocales)}."];
        }
        if (u.PreferredTime is not null)
        {
            if (InputRules.TryParseTime(u.PreferredTime, out var t)) next = next with { PreferredTime = t };
            else errors["preferredTime"] = ["Use a 24-hour HH:mm time such as 08:30."];
        }
        if (u.EnabledTypes is not null)
        {
            if (u.EnabledTypes.All(t => t is not null && PromptTypes.All.Contains(t))) next = next with { EnabledTypes = u.EnabledTypes.Distinct().ToList() };
            else errors["enabledTypes"] = [$"Known prompt types: {string.Join(", ", PromptTypes.All)}."];
        }
        next = Limit(u.MaxPerDay, "maxPerDay", MaxPerDayRange, errors) is { } perDay ? next with { MaxPerDay = perDay } : next;
        next = Limit(u.MaxPerHour, "maxPerHour", MaxPerHourRange, errors) is { } perHour ? next with { MaxPerHour = perHour } : next;
        next = Limit(u.MinIntervalMinutes, "minIntervalMinutes", MinIntervalRange, errors) is { } gap ? next with { MinIntervalMinutes = gap } : next;

        if (u.QuietHours is { } q)
        {
            var start = next.QuietHours.Start;
            var end = next.QuietHours.End;
            var ok = true;
            if (q.Start is not null && !InputRules.TryParseTime(q.Start, out start)) ok = false;
            if (q.End is not null && !InputRules.TryParseTime(q.End, out end)) ok = false;
            var enabled = q.Enabled ?? next.QuietHours.Enabled;
            if (!ok) errors["quietHours"] = ["start and end are 24-hour HH:mm times such as 22:00."];
            else if (enabled && start == end) errors["quietHours"] = ["Enabled quiet hours need different start and end times (22:00-08:00 crosses midnight)."];
            else next = next with { QuietHours = new QuietHours(enabled, start, end) };
        }
        if (u.Channels is not null)
        {
            if (u.Channels.Count > 0 && u.Channels.All(c => c is not null && DeliveryChannels.All.Contains(c))) next = next with { Channels = u.Channels.Distinct().ToList() };
            else errors["channels"] = [$"channels lists one or more of: {string.Join(", ", DeliveryChannels.All)}."];
        }
        if (u.ReviewDay is not null)
        {
            if (InputRules.TryParseWeekday(u.ReviewDay, out var day)) next = next with { ReviewDay = day };
            else errors["reviewDay"] = ["reviewDay is a weekday name such as sunday."];
        }
        if (u.ReviewTime is not null)
        {
            if (InputRules.TryParseTime(u.ReviewTime, out var t)) next = next with { ReviewTime = t };
            else errors["reviewTime"] = ["Use a 24-hour HH:mm time such as 19:00."];
        }
        if (u.CustomInstructions is not null)
        {
            if (InputRules.TryCleanDisplayText(u.CustomInstructions, UserPreferences.MaxCustomInstructionsLength, allowNewlines: true, out var text))
                next = next with { CustomInstructions = text.Length == 0 ? null : text };
            else errors["customInstructions"] = [$"customInstructions: at most {UserPreferences.MaxCustomInstructionsLength} characters with something visible, no control characters other than line breaks; empty clears them."];
        }
        return (next, errors);
    }

    private static int? Limit(int? value, string field, (int Min, int Max) range, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        if (value >= range.Min && value <= range.Max) return value;
        errors[field] = [$"{field} must be a whole number from {range.Min} to {range.Max}."];
        return null;
    }
}
