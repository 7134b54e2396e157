using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Functions.Habits;
using CoachFunctions.Hosting;
using CoachFunctions.Hosting.Auth;
using CoachFunctions.Storage;

namespace CoachFunctions.Functions.AdminGeneratePrompt;

/// <summary>Admin: a prompt of <see cref="Type"/> for <see cref="UserId"/>, with optional facts for its wording and replies.</summary>
public sealed record AdminGenerateRequest(string? UserId, string? Type, DetectionFacts? Facts);

/// <summary>
/// Admin (testing): queues a detection for a user as if a detector had found it, with a unique
/// deduplication key <c>{type}:admin:{guid}</c>. It takes the normal path: GeneratePrompt applies
/// frequency control (so it may be held back) and stores and delivers the prompt.
/// </summary>
public sealed class AdminGeneratePromptFunction(StorageClients storage, StorageBootstrap bootstrap, TimeProvider time)
{
    public const int MaxFactLength = 200;

    /// <summary>Spec §1's priority and confidence per type.</summary>
    public static readonly IReadOnlyDictionary<string, (Priority Priority, double Confidence)> Defaults = new Dictionary<string, (Priority, double)>
    {
        [PromptTypes.DailyCheckin] = (Priority.High, 0.9),
        [PromptTypes.HabitMissed] = (Priority.Medium, 0.8),
        [PromptTypes.ProgressStalled] = (Priority.Medium, 0.7),
        [PromptTypes.WeeklyReview] = (Priority.Medium, 0.8),
        [PromptTypes.MilestoneReached] = (Priority.High, 0.95),
        [PromptTypes.SilentPeriod] = (Priority.Low, 0.6),
        [PromptTypes.PatternChange] = (Priority.Low, 0.6),
        [PromptTypes.ContextChange] = (Priority.Medium, 0.8),
    };

    [Function("AdminGeneratePrompt")]
    [Authorize(Policy = AuthPolicies.Admin)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/prompts/generate")] HttpRequest req, CancellationToken ct)
    {
        var http = req.HttpContext;
        var (body, problem) = await JsonBody.ReadAsync<AdminGenerateRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Dictionary<string, string[]>();
        if (!InputRules.IsUserId(body!.UserId))
            errors["userId"] = ["userId is the user's token subject: 1 to 128 characters, no control characters or / \\ # ?."];
        if (body.Type is null || !PromptTypes.All.Contains(body.Type))
            errors["type"] = [$"type must be one of: {string.Join(", ", PromptTypes.All)}."];
        var facts = body.Facts ?? new DetectionFacts();
        ValidateFacts(facts, errors);
        if (errors.Count > 0) return Problems.BadRequest("The request is invalid.", errors);

        var now = time.GetUtcNow();
        var (priority, confidence) = Defaults[body.Type!];
        var detection = new Detection(body.UserId!, body.Type!, priority, confidence, facts, $"{body.Type}:admin:{Guid.NewGuid():N}", now);
        await bootstrap.EnsureAsync(ct);
        await storage.Queue(StorageNames.DetectionsQueue).SendMessageAsync(CoachJson.Serialize(detection), cancellationToken: ct);
        return Results.Accepted(value: new
        {
            userId = detection.UserId,
            type = detection.Type,
            dedupeKey = detection.DedupeKey,
            queuedAt = now,
            note = "Queued as a detection: frequency control, quiet hours and enabled types still apply, so the prompt may be deferred or held back.",
        });
    }

    private static void ValidateFacts(DetectionFacts f, Dictionary<string, string[]> errors)
    {
        foreach (var (name, value) in new[]
                 {
                     ("habitName", f.HabitName), ("week", f.Week), ("pattern", f.Pattern), ("eventId", f.EventId),
                     ("contextKind", f.ContextKind), ("contextNote", f.ContextNote),
                 })
        {
            if (value is not null && (!InputRules.TryCleanDisplayText(value, MaxFactLength, allowNewlines: false, out var clean) || clean.Length == 0))
                errors[$"facts.{name}"] = [$"{name} must be 1 to {MaxFactLength} characters, something visible, without control characters."];
        }
        if (f.HabitId is not null && !HabitIds.IsWellFormed(f.HabitId))
            errors["facts.habitId"] = ["habitId is a habit id: 32 lowercase hex digits."];
        if (f.LocalDate is not null && !InputRules.TryParseDate(f.LocalDate, out _))
            errors["facts.localDate"] = ["localDate must be a yyyy-MM-dd date."];
        foreach (var (name, value) in new[]
                 {
                     ("missedDays", f.MissedDays), ("streakBefore", f.StreakBefore), ("streak", f.Streak), ("goalDays", f.GoalDays),
                     ("daysSince", f.DaysSince), ("shiftMinutes", f.ShiftMinutes),
                 })
        {
            if (value is < 0 or > 100_000) errors[$"facts.{name}"] = [$"{name} must be from 0 to 100000."];
        }
        foreach (var (name, value) in new[] { ("baselineRate", f.BaselineRate), ("recentRate", f.RecentRate) })
        {
            if (value is { } rate && (double.IsNaN(rate) || rate is < 0 or > 1)) errors[$"facts.{name}"] = [$"{name} must be from 0 to 1."];
        }
    }
}
