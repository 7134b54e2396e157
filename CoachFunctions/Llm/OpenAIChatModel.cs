using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Azure.Identity;
using CoachFunctions.Coaching.Generation;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;

namespace CoachFunctions.Llm;

/// <summary>
/// <see cref="IChatModel"/> on the OpenAI 2.15.0 <see cref="ChatClient"/>: Azure OpenAI's v1
/// endpoint (API key or Entra token), OpenAI, or any OpenAI-compatible base URL, asking for
/// structured output (a strict JSON schema of title and message).
/// </summary>
public sealed class OpenAIChatModel : IChatModel
{
    private static readonly ChatResponseFormat Format = ChatResponseFormat.CreateJsonSchemaFormat(
        jsonSchemaFormatName: "coaching_prompt",
        jsonSchema: BinaryData.FromString("""
            {
              "type": "object",
              "properties": {
                "title": { "type": "string", "description": "The notification title." },
                "message": { "type": "string", "description": "The notification body." }
              },
              "required": ["title", "message"],
              "additionalProperties": false
            }
            """),
        jsonSchemaFormatDescription: "A coaching notification.",
        jsonSchemaIsStrict: true);

    private readonly ChatClient _client;
    private readonly LlmOptions _options;
    private readonly ILogger<OpenAIChatModel> _logger;

    public OpenAIChatModel(LlmOptions options, ILogger<OpenAIChatModel> logger)
    {
        _options = options;
        _logger = logger;
        _client = string.IsNullOrWhiteSpace(options.ApiKey)
            ? CreateWithPolicy(options.Model!, KeylessAuthentication(options), ClientOptions(options))
            // Sent as "Authorization: Bearer <key>", which OpenAI, compatible servers and Azure's v1 endpoint accept.
            : new ChatClient(options.Model!, new ApiKeyCredential(options.ApiKey), ClientOptions(options));
    }

    public async Task<ChatAnswer> CompleteAsync(ComposedPrompt prompt, CancellationToken ct)
    {
        var request = new ChatCompletionOptions { ResponseFormat = Format, MaxOutputTokenCount = _options.MaxOutputTokens };
        ChatCompletion completion;
        try
        {
            completion = (await _client.CompleteChatAsync(
                [new SystemChatMessage(prompt.System), new UserChatMessage(prompt.User)], request, ct)).Value;
        }
        catch (ClientResultException e) when (!ct.IsCancellationRequested)
        {
            // Status only: the response body may echo the request, which holds user data.
            _logger.LogWarning("The chat model answered HTTP {Status} ({Provider}, model {Model}).", e.Status, _options.ResolvedProvider, _options.Model);
            throw new ChatModelException(e.Status == 429 ? ChatModelFailure.RateLimited : ChatModelFailure.Error,
                $"The chat model answered HTTP {e.Status}.", e);
        }
        catch (Exception e) when (e is not OperationCanceledException && !ct.IsCancellationRequested)
        {
            _logger.LogWarning("The chat model request failed: {Error} ({Provider}, model {Model}).", e.GetType().Name, _options.ResolvedProvider, _options.Model);
            throw new ChatModelException(ChatModelFailure.Error, $"The chat model request failed ({e.GetType().Name}).", e);
        }

        var (title, message) = Parse(completion);
        return new ChatAnswer(title, message, completion.Model ?? _options.Model!,
            completion.Usage?.InputTokenCount ?? 0, completion.Usage?.OutputTokenCount ?? 0);
    }

    /// <summary>The JSON object's title and message; nulls when the content is not that object (a refusal, prose, a fenced block).</summary>
    internal static (string? Title, string? Message) Parse(ChatCompletion completion)
    {
        var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return (null, null);
            return (StringProperty(json.RootElement, "title"), StringProperty(json.RootElement, "message"));
        }
        catch (JsonException)
        {
            return (null, null);
        }

        static string? StringProperty(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    // The AuthenticationPolicy constructor is marked for evaluation (OPENAI001); it is how the SDK
    // takes Entra tokens (BearerTokenPolicy), the route Microsoft documents for Azure's v1 endpoint.
#pragma warning disable OPENAI001
    private static ChatClient CreateWithPolicy(string model, AuthenticationPolicy policy, OpenAIClientOptions options) => new(model, policy, options);
#pragma warning restore OPENAI001

    private static AuthenticationPolicy KeylessAuthentication(LlmOptions options)
    {
        if (options.UseManagedIdentity)
        {
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
            });
            // Azure.Core's TokenCredential is a System.ClientModel AuthenticationTokenProvider.
            return new BearerTokenPolicy(credential, LlmOptions.AzureScope);
        }
        // A local OpenAI-compatible server (Ollama, vLLM) may need no key: send no Authorization at all.
        return new NoAuthenticationPolicy();
    }

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

    /// <summary>Adds no credentials: for compatible servers that need none.</summary>
    private sealed class NoAuthenticationPolicy : AuthenticationPolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNext(message, pipeline, currentIndex);

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNextAsync(message, pipeline, currentIndex);
    }
}
