using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Coaching.Generation;

/// <summary>Turns a detection into a prompt. Today: the localized template strategy.</summary>
public sealed class PromptGenerator
{
    public const string TemplateStrategy = "template";

    public Task<CoachingPrompt> GenerateAsync(Detection detection, UserPreferences preferences, LearnedStyle learned, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult(Generate(detection, preferences, now));

    public CoachingPrompt Generate(Detection detection, UserPreferences preferences, DateTimeOffset now)
    {
        var locale = PromptTemplates.Normalize(preferences.Locale);
        var (title, message) = PromptTemplates.Render(detection.Type, locale, detection.Facts);
        return new CoachingPrompt
        {
            Id = PromptIds.Create(now, detection.DedupeKey),
            UserId = detection.UserId,
            Type = detection.Type,
            Priority = detection.Priority,
            Confidence = detection.Confidence,
            Title = title,
            Message = message,
            QuickReplies = QuickReplies.For(detection.Type, locale, detection.Facts),
            Locale = locale,
            Strategy = TemplateStrategy,
            DedupeKey = detection.DedupeKey,
            Facts = detection.Facts,
            CreatedAt = now,
        };
    }
}
