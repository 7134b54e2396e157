using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Responses;

namespace CoachFunctions.Coaching.Welcome;

/// <summary>The pages a welcome bubble greets on, and what asks for one (seed 002).</summary>
public static class WelcomePages
{
    public const string Feed = "feed";
    public const string Habits = "habits";
    public const string Preferences = "preferences";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Feed, Habits, Preferences, Admin];
}

/// <summary>
/// <c>open</c>: the page was opened; <c>timer</c>: the client's periodic nudge while it stays open;
/// <c>operation</c>: the user just did something there (a check-in, a save).
/// </summary>
public static class WelcomeTriggers
{
    public const string Open = "open";
    public const string Timer = "timer";
    public const string Operation = "operation";

    public static readonly IReadOnlyList<string> All = [Open, Timer, Operation];
}

/// <summary>One habit as the welcome line may mention it.</summary>
public sealed record WelcomeHabit(string Name, int Streak, bool DueToday, bool DoneToday);

/// <summary>
/// What a welcome line may speak to: the page, the user's language and local time of day, their
/// active habits with streaks, how many of the coach's prompts await an answer, and when they were
/// last active. Built from the user's summary alone, so a line costs no extra storage reads.
/// </summary>
public sealed record WelcomeContext(string Page, string Locale, TimeOnly LocalTime, IReadOnlyList<WelcomeHabit> Habits, int OpenPrompts, int? DaysSinceActive)
{
    /// <summary>Enough habits for a line of at most 40 characters; the rest would only lengthen the LLM's prompt.</summary>
    public const int MaxHabits = 10;

    public static WelcomeContext From(UserSnapshot snapshot, string page, DateTimeOffset now)
    {
        var clock = new LocalClock(now, snapshot.Preferences.Zone);
        var today = clock.Today;
        var habits = snapshot.Habits
            .Where(h => h.Active)
            .Select(h =>
            {
                var done = snapshot.CompletionsOf(h.Id);
                return new WelcomeHabit(h.Name, Streaks.Current(h, done, today), h.IsDueOn(today), done.Contains(today));
            })
            .OrderByDescending(h => h.Streak)
            .Take(MaxHabits)
            .ToList();
        // Follow-ups are not in the summary's recent prompts: "open" here means the coach spoke first and awaits a reply.
        var open = snapshot.RecentPrompts.Count(p => PromptStates.IsOpen(p.State) && p.At <= now);
        int? idle = snapshot.LastActivityAt is { } last ? Math.Max(0, today.DayNumber - clock.DateOf(last).DayNumber) : null;
        return new WelcomeContext(page, Generation.PromptTemplates.Normalize(snapshot.Preferences.Locale), clock.TimeOfDay, habits, open, idle);
    }
}
