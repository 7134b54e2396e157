namespace CoachFunctions.Coaching;

/// <summary>What the user told the coach about when and how to speak (spec §2, §6). Defaults apply when unset.</summary>
public sealed record UserPreferences
{
    public const string DefaultTimeZone = "UTC";
    public const string DefaultLocale = "en";
    public static readonly IReadOnlyList<string> SupportedLocales = ["en", "zh-CN"];

    public string TimeZone { get; init; } = DefaultTimeZone;
    public string Locale { get; init; } = DefaultLocale;

    /// <summary>When the user likes to check in; the start of their active hours until activity teaches better.</summary>
    public TimeOnly PreferredTime { get; init; } = new(9, 0);

    public IReadOnlyList<string> EnabledTypes { get; init; } = PromptTypes.EnabledByDefault;

    public static readonly UserPreferences Default = new();

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public bool IsEnabled(string promptType) => EnabledTypes.Contains(promptType);

    public static bool IsKnownTimeZone(string id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64) return false;
        // Only IANA ids: Windows ids would work on some hosts and not others.
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;
    }
}
