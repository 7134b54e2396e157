using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Benchmarks;

/// <summary>
/// One user's UserData rows as the seed's pseudo-code reads them: preferences (with the profile that
/// sorts beside them), habits, completions, prompts. The seeder writes them and the naive design
/// reads them back; both turn them into a <see cref="UserSnapshot"/> here, the way
/// <see cref="UserSnapshots.LoadAsync"/> does (the seeder checks a sample against it), so the summary
/// rows and the naive design judge the same facts.
/// </summary>
public sealed record UserRows(string UserId, TableEntity? Preferences, TableEntity? Profile,
    IReadOnlyList<TableEntity> Habits, IReadOnlyList<TableEntity> Completions, IReadOnlyList<TableEntity> Prompts)
{
    public IEnumerable<TableEntity> All() =>
        new[] { Preferences, Profile }.OfType<TableEntity>().Concat(Habits).Concat(Completions).Concat(Prompts);

    public UserSnapshot ToSnapshot(DateTimeOffset now)
    {
        var preferences = EntityMapping.ToPreferences(Preferences);
        var zone = preferences.Zone;
        var clock = new LocalClock(now, zone);
        var floor = clock.Today.AddDays(-UserSnapshots.HistoryDays).ToString("yyyy-MM-dd");

        var habits = Habits.OrderBy(h => h.RowKey, StringComparer.Ordinal).Select(EntityMapping.ToHabit).ToList();
        var days = new Dictionary<string, HashSet<DateOnly>>();
        var minutes = new Dictionary<string, Dictionary<DateOnly, int>>();
        var totals = new Dictionary<string, int>();
        var activity = new List<DateTimeOffset>();
        foreach (var e in Completions.OrderBy(c => c.RowKey, StringComparer.Ordinal))
        {
            if (e.GetString("HabitId") is not { } habitId || !DateOnly.TryParseExact(e.GetString("Date"), "yyyy-MM-dd", out var day)) continue;
            totals[habitId] = totals.GetValueOrDefault(habitId) + 1;
            if (string.CompareOrdinal(e.GetString("Date"), floor) < 0) continue;
            if (!days.TryGetValue(habitId, out var set)) days[habitId] = set = [];
            set.Add(day);
            if (e.GetDateTimeOffset("RecordedAt") is { } recorded && clock.DateOf(recorded) == day)
            {
                if (!minutes.TryGetValue(habitId, out var m)) minutes[habitId] = m = [];
                m[day] = MinuteOfDay(recorded, zone);
                activity.Add(recorded);
            }
        }

        var prompts = Prompts.OrderBy(p => p.RowKey, StringComparer.Ordinal).Select(e => new PromptRecord(e.GetString("PromptId")!, e.GetString("Type")!,
            Enum.Parse<Priority>(e.GetString("Priority")!, ignoreCase: true), e.GetString("HabitId"), e.GetString("DedupeKey")!,
            e.GetDateTimeOffset("DeliverAt") ?? e.GetDateTimeOffset("CreatedAt") ?? now, e.GetString("State") ?? PromptStates.Pending)).ToList();

        var earliestHabit = habits.Count == 0 ? (DateTimeOffset?)null : habits.Min(h => h.CreatedAt);
        return new UserSnapshot
        {
            UserId = UserId,
            Preferences = preferences,
            Habits = habits,
            History = habits.ToDictionary(h => h.Id, h => new HabitHistory(
                days.GetValueOrDefault(h.Id) ?? [], minutes.GetValueOrDefault(h.Id) ?? [], totals.GetValueOrDefault(h.Id))),
            LastConversationAt = Profile?.GetDateTimeOffset("LastConversationAt"),
            LastProgressAt = Profile?.GetDateTimeOffset("LastProgressAt"),
            LastActivityAt = Profile?.GetDateTimeOffset("LastActivityAt"),
            FirstSeenAt = new[] { earliestHabit, Profile?.GetDateTimeOffset("FirstSeenAt"), now }.OfType<DateTimeOffset>().Min(),
            ActivityMinutes = activity.OrderByDescending(a => a).Take(UserSnapshots.ActivitySamples).Select(a => MinuteOfDay(a, zone)).ToList(),
            RecentPrompts = prompts,
        };
    }

    private static int MinuteOfDay(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.Hour * 60 + local.Minute;
    }
}
