using Azure.Core;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Telemetry;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.Llm;

public static class LlmServiceCollectionExtensions
{
    public const string AiDetectorEnabledSetting = "Coaching:AiDetector:Enabled";

    /// <summary>
    /// A <see cref="TokenCredential"/> registered under this key (a keyed service) is the one Azure
    /// OpenAI gets with Llm:UseManagedIdentity=true, instead of DefaultAzureCredential: tests use it
    /// for a fixed token, and a host that already holds a credential can hand it over.
    /// </summary>
    public const string TokenCredentialKey = "Llm";

    /// <summary>
    /// Registers prompt generation: <see cref="GenerationOptions"/> (section "Generation"), an
    /// <see cref="IChatModel"/> when section "Llm" configures one, and <see cref="PromptGenerator"/>.
    /// Bad settings fail here, at start-up, with every problem named.
    /// </summary>
    public static IServiceCollection AddCoachGeneration(this IServiceCollection services, IConfiguration configuration)
    {
        var generation = configuration.GetSection(GenerationOptions.Section).Get<GenerationOptions>() ?? new GenerationOptions();
        var llm = configuration.GetSection(LlmOptions.Section).Get<LlmOptions>() ?? new LlmOptions();

        var errors = generation.Validate().ToList();
        if (llm.IsConfigured) errors.AddRange(llm.Validate());
        if (errors.Count > 0)
            throw new InvalidOperationException("Invalid generation settings: " + string.Join(" ", errors));

        services.AddSingleton(generation);
        if (llm.IsConfigured)
        {
            services.AddSingleton(llm);
            services.AddSingleton<IChatModel>(sp => Counted(sp, llm.ResolvedProvider == LlmOptions.AzureOpenAI
                ? new AzureOpenAIChatModel(llm, sp.GetKeyedService<TokenCredential>(TokenCredentialKey), sp.GetRequiredService<ILogger<AzureOpenAIChatModel>>())
                : new OpenAIChatModel(llm, sp.GetRequiredService<ILogger<OpenAIChatModel>>())));
        }
        services.AddSingleton(sp => new PromptGenerator(generation, sp.GetService<IChatModel>()));

        // The optional AI detector (spec §1): off unless asked for, and only with a model to ask.
        if (configuration.GetValue<bool>(AiDetectorEnabledSetting))
        {
            if (!llm.IsConfigured)
                throw new InvalidOperationException($"{AiDetectorEnabledSetting.Replace(":", "__")} is true but no LLM is configured (set Llm__Endpoint or Llm__ApiKey).");
            services.AddSingleton(sp => new AiTimingAdvisor(sp.GetRequiredService<IChatModel>(), TimeSpan.FromSeconds(generation.TimeoutSeconds)));
        }
        return services;
    }

    /// <summary>Every request counted where all callers share the model (admin stats' llm.requests); uncounted where telemetry is not registered.</summary>
    private static IChatModel Counted(IServiceProvider sp, IChatModel model) =>
        sp.GetService<CoachMetrics>() is { } metrics ? new CountedChatModel(model, metrics) : model;
}
