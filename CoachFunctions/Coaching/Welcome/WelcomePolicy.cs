namespace CoachFunctions.Coaching.Welcome;

/// <summary>A line the user was last shown on a page: what it said, where it came from, when, in which language.</summary>
public sealed record WelcomeLine(string Text, string Source, DateTimeOffset GeneratedAt, string Locale);

/// <summary>When the user's last timer and operation triggers were let through (per user, all pages).</summary>
public sealed record WelcomeCooldowns(DateTimeOffset? TimerAt, DateTimeOffset? OperationAt)
{
    public static readonly WelcomeCooldowns None = new(null, null);
}

public enum WelcomeAction
{
    /// <summary>Answer the cached line.</summary>
    Cached,

    /// <summary>Inside a cooldown with no fresh line: answer nothing (204).</summary>
    Nothing,

    /// <summary>Write a new line; for timer and operation triggers, only after claiming the cooldown.</summary>
    Generate,
}

/// <summary>
/// Seed 002's rules for the welcome bubble, pure: a line is cached per user and page for 30 minutes;
/// <c>open</c> answers the cached line while it is fresh, else a new one; <c>timer</c> and
/// <c>operation</c> get a new line at most every 60 s and 10 s per user, and inside that cooldown
/// only the cached line (or nothing), never a new generation.
/// </summary>
public static class WelcomePolicy
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan TimerCooldown = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan OperationCooldown = TimeSpan.FromSeconds(10);

    /// <summary>Where the answered line came from.</summary>
    public const string Llm = "llm";
    public const string Template = "template";
    public const string Cache = "cache";

    /// <summary>Fresh: under 30 minutes old, and in the user's language now (a line in the old one is of no use after a switch).</summary>
    public static bool IsFresh(WelcomeLine? line, string locale, DateTimeOffset now) =>
        line is not null && now - line.GeneratedAt < CacheFor && string.Equals(line.Locale, locale, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the trigger is inside its cooldown. A last trigger in the future (the clock went back)
    /// counts as inside: better a quiet bubble than a burst of generations.
    /// </summary>
    public static bool InCooldown(string trigger, WelcomeCooldowns cooldowns, DateTimeOffset now) => trigger switch
    {
        WelcomeTriggers.Timer => cooldowns.TimerAt is { } at && now - at < TimerCooldown,
        WelcomeTriggers.Operation => cooldowns.OperationAt is { } at && now - at < OperationCooldown,
        _ => false,
    };

    public static WelcomeAction Decide(string trigger, WelcomeLine? cached, WelcomeCooldowns cooldowns, string locale, DateTimeOffset now)
    {
        var fresh = IsFresh(cached, locale, now);
        if (trigger == WelcomeTriggers.Open) return fresh ? WelcomeAction.Cached : WelcomeAction.Generate;
        if (InCooldown(trigger, cooldowns, now)) return fresh ? WelcomeAction.Cached : WelcomeAction.Nothing;
        return WelcomeAction.Generate;
    }

    /// <summary>Whether a generation for this trigger must first claim its cooldown (so two at once cannot both generate).</summary>
    public static bool NeedsClaim(string trigger) => trigger is WelcomeTriggers.Timer or WelcomeTriggers.Operation;
}
