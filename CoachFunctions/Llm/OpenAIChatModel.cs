using System.ClientModel;
using System.ClientModel.Primitives;
using CoachFunctions.Coaching.Generation;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;

namespace CoachFunctions.Llm;

/// <summary>
/// Providers openai and openai-compatible (Ollama, vLLM): the OpenAI 2.15.0 <see cref="ChatClient"/>
/// on <c>{Endpoint}chat/completions</c>, the key as <c>Authorization: Bearer</c>, or no key at all.
/// </summary>
public sealed class OpenAIChatModel : SdkChatModel
{
    private readonly ChatClient _client;

    public OpenAIChatModel(LlmOptions options, ILogger<OpenAIChatModel> logger) : base(options, logger)
    {
        _client = string.IsNullOrWhiteSpace(options.ApiKey)
            ? WithoutKey(options.Model!, ClientOptions(options))
            : new ChatClient(options.Model!, new ApiKeyCredential(options.ApiKey), ClientOptions(options));
    }

    protected override async Task<ChatCompletion> SendAsync(ComposedPrompt prompt, CancellationToken ct) =>
        (await _client.CompleteChatAsync(
            [new SystemChatMessage(prompt.System), new UserChatMessage(prompt.User)],
            new ChatCompletionOptions { ResponseFormat = ChatOutput.Format, MaxOutputTokenCount = Options.MaxOutputTokens },
            ct)).Value;

    // The AuthenticationPolicy constructor is marked for evaluation (OPENAI001); it is the only way
    // to build a ChatClient that sends no credentials.
#pragma warning disable OPENAI001
    private static ChatClient WithoutKey(string model, OpenAIClientOptions options) => new(model, new NoAuthenticationPolicy(), options);
#pragma warning restore OPENAI001

    private static OpenAIClientOptions ClientOptions(LlmOptions options)
    {
        var client = new OpenAIClientOptions
        {
            // No SDK retries: its default retries 429 and 5xx with back-off, which would spend the
            // whole generation budget waiting. The generator falls back to the template at once
            // instead, and retries only an invalid answer (once), within its own budget.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            // Request and response bodies hold user data: never log them, whatever logging is set up.
            ClientLoggingOptions = new ClientLoggingOptions { EnableMessageContentLogging = false },
            UserAgentApplicationId = "CoachFunctions",
        };
        if (options.ResolvedEndpoint is { } endpoint) client.Endpoint = endpoint;
        return client;
    }

    /// <summary>Adds no credentials: a local compatible server may need none, and should see no Authorization header.</summary>
    private sealed class NoAuthenticationPolicy : AuthenticationPolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNext(message, pipeline, currentIndex);

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNextAsync(message, pipeline, currentIndex);
    }
}
