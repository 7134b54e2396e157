namespace CoachFunctions.Coaching;

/// <summary>What the user told the coach about when and how to speak (spec §2, §6). Defaults apply when unset.</summary>
public sealed record UserPreferences
{
    public const string DefaultTimeZone = "UTC";
    public const string DefaultLocale = "en";
    public static readonly IReadOnlyList<string> SupportedLocales = ["en", "zh-CN"];
    public const int MaxCustomInstructionsLength = 500;

    public string TimeZone { get; init; } = DefaultTimeZone;
    public string Locale { get; init; } = DefaultLocale;

    /// <summary>When the user likes to check in; the start of their active hours until activity teaches better.</summary>
    public TimeOnly PreferredTime { get; init; } = new(9, 0);

    public IReadOnlyList<string> EnabledTypes { get; init; } = PromptTypes.EnabledByDefault;

    /// <summary>Spec §2 limits: at most this many prompts a local day, a rolling hour, and at least this gap between two.</summary>
    public int MaxPerDay { get; init; } = 5;
    public int MaxPerHour { get; init; } = 2;
    public int MinIntervalMinutes { get; init; } = 30;

    public QuietHours QuietHours { get; init; } = QuietHours.Default;

    /// <summary>Delivery channels the user accepts, in <see cref="DeliveryChannels"/> names; in-app is always possible.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [DeliveryChannels.InApp];

    /// <summary>When the weekly review is due (local), default Sunday 19:00.</summary>
    public DayOfWeek ReviewDay { get; init; } = DayOfWeek.Sunday;
    public TimeOnly ReviewTime { get; init; } = new(19, 0);

    /// <summary>The user's own words about how the coach should talk: data for the LLM, never instructions to obey blindly.</summary>
    public string? CustomInstructions { get; init; }

    public static readonly UserPreferences Default = new();

    /// <summary>The user's zone; UTC when the stored id names none (see <see cref="TimeZones.Resolve"/>), never an exception.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeZoneInfo Zone => TimeZones.Resolve(TimeZone);

    public bool IsEnabled(string promptType) => EnabledTypes.Contains(promptType);
}

/// <summary>
/// Do-not-disturb in the user's wall-clock time. <see cref="Start"/> after <see cref="End"/> means the
/// period crosses midnight (the default 22:00-08:00); equal times mean no quiet period.
/// </summary>
public sealed record QuietHours(bool Enabled, TimeOnly Start, TimeOnly End)
{
    public static readonly QuietHours Default = new(true, new TimeOnly(22, 0), new TimeOnly(8, 0));

    public bool Contains(TimeOnly time) => Enabled && Start != End && (Start < End
        ? time >= Start && time < End
        : time >= Start || time < End);
}

/// <summary>
/// Channel names (spec §4). In-app is SignalR; push and e-mail hand the prompt to a provider through
/// a signed webhook; WeCom is WeCom customer service (seed 004).
/// </summary>
public static class DeliveryChannels
{
    public const string InApp = "in_app";
    public const string Push = "push";
    public const string Email = "email";
    public const string WeCom = "wecom";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { InApp, Push, Email, WeCom };
}
