using System.Text;
using System.Text.Json;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Hosting;

namespace CoachFunctions.Storage.Tables;

/// <summary>
/// The stored form of a <see cref="UserSnapshot"/>: one JSON string property of the summary row.
/// Completion history is a day bitmap per habit (one character a day back from an anchor date),
/// so a year of a habit costs a few hundred characters and the row stays far below the 64 KiB
/// property limit.
/// </summary>
internal sealed record SummaryDocument
{
    public const int Version = 1;

    public int V { get; init; } = Version;
    public UserPreferences Preferences { get; init; } = UserPreferences.Default;
    public List<HabitDoc> Habits { get; init; } = [];
    public DateTimeOffset? LastConversationAt { get; init; }
    public DateTimeOffset? LastProgressAt { get; init; }
    public DateTimeOffset? LastActivityAt { get; init; }
    public DateTimeOffset? FirstSeenAt { get; init; }
    public List<int> ActivityMinutes { get; init; } = [];
    public List<ContextEvent> PendingContext { get; init; } = [];
    public List<PromptRecord> RecentPrompts { get; init; } = [];

    internal sealed record HabitDoc(Habit Habit, string Anchor, string Bits, Dictionary<string, int> Minutes, int Total);

    public static string Serialize(UserSnapshot s) => JsonSerializer.Serialize(new SummaryDocument
    {
        Preferences = s.Preferences,
        Habits = s.Habits.Select(h => ToDoc(h, s.History.GetValueOrDefault(h.Id) ?? HabitHistory.Empty)).ToList(),
        LastConversationAt = s.LastConversationAt,
        LastProgressAt = s.LastProgressAt,
        LastActivityAt = s.LastActivityAt,
        FirstSeenAt = s.FirstSeenAt,
        ActivityMinutes = s.ActivityMinutes.ToList(),
        PendingContext = s.PendingContext.ToList(),
        RecentPrompts = s.RecentPrompts.ToList(),
    }, CoachJson.Options);

    public static UserSnapshot Deserialize(string userId, string json)
    {
        var d = JsonSerializer.Deserialize<SummaryDocument>(json, CoachJson.Options)
                ?? throw new InvalidDataException($"The summary of {userId} is empty.");
        return new UserSnapshot
        {
            UserId = userId,
            Preferences = d.Preferences,
            Habits = d.Habits.Select(h => h.Habit).ToList(),
            History = d.Habits.ToDictionary(h => h.Habit.Id, FromDoc),
            LastConversationAt = d.LastConversationAt,
            LastProgressAt = d.LastProgressAt,
            LastActivityAt = d.LastActivityAt,
            FirstSeenAt = d.FirstSeenAt,
            ActivityMinutes = d.ActivityMinutes,
            PendingContext = d.PendingContext,
            RecentPrompts = d.RecentPrompts,
        };
    }

    private static HabitDoc ToDoc(Habit habit, HabitHistory history)
    {
        var anchor = history.Days.Count == 0 ? habit.StartDate : history.Days.Max();
        var oldest = history.Days.Count == 0 ? anchor : history.Days.Min();
        var bits = new StringBuilder(anchor.DayNumber - oldest.DayNumber + 1);
        for (var day = anchor; day >= oldest; day = day.AddDays(-1)) bits.Append(history.Days.Contains(day) ? '1' : '0');
        return new HabitDoc(habit, anchor.ToString("yyyy-MM-dd"), bits.ToString(),
            history.MinuteOfDay.ToDictionary(kv => kv.Key.ToString("yyyy-MM-dd"), kv => kv.Value), history.Total);
    }

    private static HabitHistory FromDoc(HabitDoc doc)
    {
        var anchor = DateOnly.ParseExact(doc.Anchor, "yyyy-MM-dd");
        var days = new HashSet<DateOnly>();
        for (var i = 0; i < doc.Bits.Length; i++)
            if (doc.Bits[i] == '1') days.Add(anchor.AddDays(-i));
        var minutes = doc.Minutes.ToDictionary(kv => DateOnly.ParseExact(kv.Key, "yyyy-MM-dd"), kv => kv.Value);
        return new HabitHistory(days, minutes, doc.Total);
    }
}
