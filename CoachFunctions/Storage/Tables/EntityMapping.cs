using System.Text.Json;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Hosting;

namespace CoachFunctions.Storage.Tables;

/// <summary>Domain records ↔ table entities. Nested values are stored as JSON strings.</summary>
internal static class EntityMapping
{
    public static TableEntity ToEntity(string userId, UserPreferences p) => new(userId, RowKeys.Preferences)
    {
        ["TimeZone"] = p.TimeZone,
        ["Locale"] = p.Locale,
        ["PreferredTime"] = p.PreferredTime.ToString("HH:mm"),
        ["EnabledTypes"] = string.Join(',', p.EnabledTypes),
    };

    public static UserPreferences ToPreferences(TableEntity? e) => e is null
        ? UserPreferences.Default
        : new UserPreferences
        {
            TimeZone = e.GetString("TimeZone") ?? UserPreferences.DefaultTimeZone,
            Locale = e.GetString("Locale") ?? UserPreferences.DefaultLocale,
            PreferredTime = TimeOnly.TryParseExact(e.GetString("PreferredTime"), "HH:mm", out var t) ? t : UserPreferences.Default.PreferredTime,
            EnabledTypes = e.GetString("EnabledTypes") is { } types
                ? types.Split(',', StringSplitOptions.RemoveEmptyEntries)
                : PromptTypes.EnabledByDefault,
        };

    public static TableEntity ToEntity(string userId, Habit h) => new(userId, RowKeys.Habit(h.Id))
    {
        ["HabitId"] = h.Id,
        ["Name"] = h.Name,
        ["DaysOfWeek"] = string.Join(',', h.Schedule.DaysOfWeek.Select(d => (int)d)),
        ["StartDate"] = h.StartDate.ToString("yyyy-MM-dd"),
        ["Active"] = h.Active,
        ["CreatedAt"] = h.CreatedAt,
    };

    public static Habit ToHabit(TableEntity e) => new(
        e.GetString("HabitId")!,
        e.GetString("Name")!,
        new HabitSchedule((e.GetString("DaysOfWeek") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => (DayOfWeek)int.Parse(d)).ToList()),
        DateOnly.ParseExact(e.GetString("StartDate")!, "yyyy-MM-dd"),
        e.GetBoolean("Active") ?? true,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);

    public static TableEntity ToEntity(CoachingPrompt p) => new(p.UserId, RowKeys.Prompt(p.Id))
    {
        ["PromptId"] = p.Id,
        ["Type"] = p.Type,
        ["Priority"] = p.Priority.ToString().ToLowerInvariant(),
        ["Confidence"] = p.Confidence,
        ["Title"] = p.Title,
        ["Message"] = p.Message,
        ["QuickReplies"] = CoachJson.Serialize(p.QuickReplies),
        ["Locale"] = p.Locale,
        ["Strategy"] = p.Strategy,
        ["DedupeKey"] = p.DedupeKey,
        ["Facts"] = CoachJson.Serialize(p.Facts),
        ["CreatedAt"] = p.CreatedAt,
        ["State"] = p.State,
    };

    public static CoachingPrompt ToPrompt(TableEntity e) => new()
    {
        Id = e.GetString("PromptId")!,
        UserId = e.PartitionKey!,
        Type = e.GetString("Type")!,
        Priority = Enum.Parse<Priority>(e.GetString("Priority")!, ignoreCase: true),
        Confidence = e.GetDouble("Confidence") ?? 0,
        Title = e.GetString("Title")!,
        Message = e.GetString("Message")!,
        QuickReplies = JsonSerializer.Deserialize<List<QuickReply>>(e.GetString("QuickReplies") ?? "[]", CoachJson.Options)!,
        Locale = e.GetString("Locale")!,
        Strategy = e.GetString("Strategy")!,
        DedupeKey = e.GetString("DedupeKey")!,
        Facts = JsonSerializer.Deserialize<DetectionFacts>(e.GetString("Facts") ?? "{}", CoachJson.Options)!,
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        State = e.GetString("State") ?? PromptStates.Pending,
        SentAt = e.GetDateTimeOffset("SentAt"),
        RespondedAt = e.GetDateTimeOffset("RespondedAt"),
        ResponseValue = e.GetString("ResponseValue"),
    };
}
