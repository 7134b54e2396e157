using System.Text.Json;
using Azure.Data.Tables;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Channels;
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
        ["MaxPerDay"] = p.MaxPerDay,
        ["MaxPerHour"] = p.MaxPerHour,
        ["MinIntervalMinutes"] = p.MinIntervalMinutes,
        ["QuietEnabled"] = p.QuietHours.Enabled,
        ["QuietStart"] = p.QuietHours.Start.ToString("HH:mm"),
        ["QuietEnd"] = p.QuietHours.End.ToString("HH:mm"),
        ["Channels"] = string.Join(',', p.Channels),
        ["ReviewDay"] = (int)p.ReviewDay,
        ["ReviewTime"] = p.ReviewTime.ToString("HH:mm"),
        ["CustomInstructions"] = p.CustomInstructions,
    };

    public static UserPreferences ToPreferences(TableEntity? e)
    {
        if (e is null) return UserPreferences.Default;
        var d = UserPreferences.Default;
        return new UserPreferences
        {
            TimeZone = e.GetString("TimeZone") ?? d.TimeZone,
            Locale = e.GetString("Locale") ?? d.Locale,
            PreferredTime = Time(e, "PreferredTime") ?? d.PreferredTime,
            EnabledTypes = e.GetString("EnabledTypes") is { } types ? types.Split(',', StringSplitOptions.RemoveEmptyEntries) : d.EnabledTypes,
            MaxPerDay = e.GetInt32("MaxPerDay") ?? d.MaxPerDay,
            MaxPerHour = e.GetInt32("MaxPerHour") ?? d.MaxPerHour,
            MinIntervalMinutes = e.GetInt32("MinIntervalMinutes") ?? d.MinIntervalMinutes,
            QuietHours = new QuietHours(
                e.GetBoolean("QuietEnabled") ?? d.QuietHours.Enabled,
                Time(e, "QuietStart") ?? d.QuietHours.Start,
                Time(e, "QuietEnd") ?? d.QuietHours.End),
            Channels = e.GetString("Channels") is { } channels ? channels.Split(',', StringSplitOptions.RemoveEmptyEntries) : d.Channels,
            ReviewDay = e.GetInt32("ReviewDay") is { } day and >= 0 and <= 6 ? (DayOfWeek)day : d.ReviewDay,
            ReviewTime = Time(e, "ReviewTime") ?? d.ReviewTime,
            CustomInstructions = e.GetString("CustomInstructions"),
        };
    }

    private static TimeOnly? Time(TableEntity e, string name) =>
        TimeOnly.TryParseExact(e.GetString(name), "HH:mm", out var t) ? t : null;

    public static TableEntity ToEntity(string userId, LearnedStyle l) => new(userId, RowKeys.Learned)
    {
        ["Style"] = l.Style,
        ["Rules"] = CoachJson.Serialize(l.Rules),
        ["FeedbackCount"] = l.FeedbackCount,
        ["UpdatedAt"] = l.UpdatedAt,
    };

    public static LearnedStyle ToLearned(TableEntity? e) => e is null ? LearnedStyle.None : new LearnedStyle
    {
        Style = e.GetString("Style"),
        Rules = JsonSerializer.Deserialize<List<string>>(e.GetString("Rules") ?? "[]", CoachJson.Options)!,
        FeedbackCount = e.GetInt32("FeedbackCount") ?? 0,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt"),
    };

    public static TableEntity ToEntity(string userId, Habit h) => new(userId, RowKeys.Habit(h.Id))
    {
        ["HabitId"] = h.Id,
        ["Name"] = h.Name,
        ["DaysOfWeek"] = string.Join(',', h.Schedule.DaysOfWeek.Select(d => (int)d)),
        ["StartDate"] = h.StartDate.ToString("yyyy-MM-dd"),
        ["Active"] = h.Active,
        ["CreatedAt"] = h.CreatedAt,
        ["GoalDays"] = h.GoalDays,
    };

    public static Habit ToHabit(TableEntity e) => new(
        e.GetString("HabitId")!,
        e.GetString("Name")!,
        new HabitSchedule((e.GetString("DaysOfWeek") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => (DayOfWeek)int.Parse(d)).ToList()),
        DateOnly.ParseExact(e.GetString("StartDate")!, "yyyy-MM-dd"),
        e.GetBoolean("Active") ?? true,
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetInt32("GoalDays"));

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
        ["HabitId"] = p.Facts.HabitId,
        ["Facts"] = CoachJson.Serialize(p.Facts),
        ["CreatedAt"] = p.CreatedAt,
        ["State"] = p.State,
        ["DeliverAt"] = p.DeliverAt,
        ["ExpiresAt"] = p.ExpiresAt,
        ["Generation"] = CoachJson.Serialize(p.Generation),
        ["ReplyTo"] = p.ReplyTo,
        // Set at insert only for a follow-up, which goes out in its answer's response.
        ["Channel"] = p.Channel,
        ["SentAt"] = p.SentAt,
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
        DeliverAt = e.GetDateTimeOffset("DeliverAt"),
        ExpiresAt = e.GetDateTimeOffset("ExpiresAt"),
        Channel = e.GetString("Channel"),
        SentAt = e.GetDateTimeOffset("SentAt"),
        DeliveredAt = e.GetDateTimeOffset("DeliveredAt"),
        SeenAt = e.GetDateTimeOffset("SeenAt"),
        Generation = e.GetString("Generation") is { } g ? JsonSerializer.Deserialize<GenerationInfo>(g, CoachJson.Options)! : GenerationInfo.Template,
        RespondedAt = e.GetDateTimeOffset("RespondedAt"),
        ResponseValue = e.GetString("ResponseValue"),
        ReplyTo = e.GetString("ReplyTo"),
        // Absent until a channel other than in-app is tried: the same empty list as a new prompt's, so records compare equal.
        Deliveries = e.GetString("Deliveries") is { Length: > 0 } d ? (IReadOnlyList<DeliveryAttempt>)JsonSerializer.Deserialize<List<DeliveryAttempt>>(d, CoachJson.Options)! : [],
    };
}
