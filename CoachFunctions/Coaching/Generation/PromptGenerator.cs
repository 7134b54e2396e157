using System.Diagnostics;
using CoachFunctions.Coaching.Detectors;

namespace CoachFunctions.Coaching.Generation;

/// <summary>
/// Turns a detection into a prompt with the configured strategy (spec §3): <c>template</c>, <c>ai</c>
/// (the model writes from the composed layers) or <c>hybrid</c> (the model improves the template's
/// draft). An LLM answer is validated; invalid output is retried once; a timeout, an error, a rate
/// limit or a second invalid answer falls back to the template, and the prompt records why.
/// Never throws for LLM trouble: a prompt always comes out (only <paramref name="ct"/> cancels).
/// </summary>
public sealed class PromptGenerator
{
    public const string TemplateStrategy = GenerationOptions.Template;
    public const string AiStrategy = GenerationOptions.Ai;
    public const string HybridStrategy = GenerationOptions.Hybrid;

    /// <summary>The first try plus one retry for invalid output.</summary>
    public const int MaxAttempts = 2;

    private readonly GenerationOptions _options;
    private readonly IChatModel? _model;

    /// <summary><paramref name="model"/> null: no LLM configured, templates serve whatever the strategy says.</summary>
    public PromptGenerator(GenerationOptions options, IChatModel? model = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors), nameof(options));
        _options = options;
        _model = model;
    }

    /// <summary>The strategy asked for: the configured one, else ai with an LLM and template without.</summary>
    public string ConfiguredStrategy => _options.Strategy ?? (_model is null ? TemplateStrategy : AiStrategy);

    /// <summary>
    /// Whether <see cref="GenerateAsync"/> asks the model (an LLM and a strategy other than template):
    /// only then does it read the learned style, which is one layer of what the model is asked.
    /// </summary>
    public bool AsksModel => _model is not null && ConfiguredStrategy != TemplateStrategy;

    public async Task<CoachingPrompt> GenerateAsync(Detection detection, UserPreferences preferences, LearnedStyle learned,
        DateTimeOffset now, CancellationToken ct)
    {
        var locale = PromptTemplates.Normalize(preferences.Locale);
        var template = PromptTemplates.Render(detection.Type, locale, detection.Facts);
        var strategy = ConfiguredStrategy;

        var (title, message, used, info) = !AsksModel
            ? (template.Title, template.Message, TemplateStrategy, GenerationInfo.Template)
            : await AskModelAsync(_model!, strategy, detection, preferences, learned, template, ct);

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
            Strategy = used,
            DedupeKey = detection.DedupeKey,
            Facts = detection.Facts,
            CreatedAt = now,
            Generation = info,
        };
    }

    private async Task<(string Title, string Message, string Strategy, GenerationInfo Info)> AskModelAsync(IChatModel model,
        string strategy, Detection detection, UserPreferences preferences, LearnedStyle learned,
        (string Title, string Message) template, CancellationToken ct)
    {
        var prompt = PromptComposer.Compose(detection, preferences, learned, _options, strategy == HybridStrategy ? template : null);
        string? modelName = null;
        int promptTokens = 0, completionTokens = 0, attempts = 0;
        var started = Stopwatch.GetTimestamp();
        string reason;

        while (true)
        {
            attempts++;
            // The budget covers one whole attempt; the caller's token still cancels everything.
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
            budget.CancelAfter(_options.Timeout);
            try
            {
                var answer = await model.CompleteAsync(prompt, budget.Token);
                modelName = answer.Model;
                promptTokens += answer.PromptTokens;
                completionTokens += answer.CompletionTokens;
                var problems = OutputValidator.Validate(answer.Title, answer.Message, preferences.Locale, _options);
                if (problems.Count == 0)
                    return (answer.Title!.Trim(), answer.Message!.Trim(), strategy, Info(null));
                reason = FallbackReasons.InvalidOutput;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                reason = FallbackReasons.Timeout;
            }
            catch (ChatModelException e)
            {
                reason = e.Failure == ChatModelFailure.RateLimited ? FallbackReasons.RateLimited : FallbackReasons.Error;
            }
            // Only a bad answer is worth a second try: a slow, failing or throttled service would
            // most likely do the same again, and the template is ready now.
            if (reason != FallbackReasons.InvalidOutput || attempts >= MaxAttempts)
                return (template.Title, template.Message, TemplateStrategy, Info(reason));
        }

        GenerationInfo Info(string? fallbackReason) => new()
        {
            Model = modelName,
            PromptTokens = promptTokens,
            CompletionTokens = completionTokens,
            LatencyMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
            Attempts = attempts,
            FallbackReason = fallbackReason,
        };
    }
}
