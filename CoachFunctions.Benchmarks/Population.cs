using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Responses;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Benchmarks;

/// <summary>
/// The benchmark's users, fully determined by their index: a time zone from a fixed set, default
/// preferences, two daily habits started three weeks ago, two weeks of live check-ins, and a
/// conversation with the coach earlier today. A user meant to be due has skipped one habit for the
/// last three days (and not yet today); everyone else did both habits today, so nothing is due.
/// </summary>
/// <param name="zones">The zones users are spread over (default <see cref="Zones"/>); each must be in daytime at <paramref name="now"/>.</param>
public sealed class Population(int users, int duePercent, DateTimeOffset now, IReadOnlyList<string>? zones = null)
{
    /// <summary>At the scan benchmark's instant every zone is in daytime, after quiet hours and before 21:00.</summary>
    public static readonly string[] Zones = ["UTC", "Europe/Berlin", "Asia/Shanghai", "America/New_York"];

    private readonly IReadOnlyList<string> _zones = zones ?? Zones;

    public const int HistoryDays = 14;
    public const int MissedDays = 3;

    public int Users => users;

    public static string UserId(int index) => $"bench-{index:D6}";

    /// <summary>Exactly round-down(users × percent / 100) users, spread evenly over the index range.</summary>
    public bool IsMeantDue(int index) => (index + 1L) * duePercent / 100 > (long)index * duePercent / 100;

    public UserRows Rows(int index)
    {
        var userId = UserId(index);
        var preferences = UserPreferences.Default with { TimeZone = _zones[index % _zones.Count] };
        var zone = preferences.Zone;
        var today = new LocalClock(now, zone).Today;
        DateTimeOffset At(DateOnly day, int hour, int minute) =>
            new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(new TimeOnly(hour, minute)), zone), TimeSpan.Zero);

        var start = today.AddDays(-21);
        var created = At(start, 7, 0);
        var habits = new[]
        {
            new Habit("read", "Read 20 pages", HabitSchedule.Daily, start, true, created),
            new Habit("walk", "Walk 30 minutes", HabitSchedule.Daily, start, true, created),
        };

        var completions = new List<TableEntity>();
        var meantDue = IsMeantDue(index);
        DateTimeOffset lastProgress = created;
        foreach (var habit in habits)
        {
            // One rest day a week ago keeps every streak short of a milestone (7, 21, ...).
            for (var back = HistoryDays; back >= 0; back--)
            {
                if (back == 6) continue;
                if (meantDue && habit.Id == "walk" && back < MissedDays + 1) continue;
                var day = today.AddDays(-back);
                var recordedAt = At(day, 7, 30 + index % 20 + (habit.Id == "walk" ? 5 : 0));
                completions.Add(UserDataStore.CompletionEntity(userId, new HabitCompletion(habit.Id, day), recordedAt));
                if (recordedAt > lastProgress) lastProgress = recordedAt;
            }
        }

        var talkedAt = At(today, 7, 55);
        var profile = new TableEntity(userId, RowKeys.Profile)
        {
            ["LastActivityAt"] = talkedAt,
            ["LastProgressAt"] = lastProgress,
            ["LastConversationAt"] = talkedAt,
            ["FirstSeenAt"] = created,
        };
        return new UserRows(userId, EntityMapping.ToEntity(userId, preferences), profile,
            habits.Select(h => EntityMapping.ToEntity(userId, h)).ToList(), completions, []);
    }
}
