using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Azure.AI.OpenAI;
using Azure.Core;
using Azure.Identity;
using CoachFunctions.Coaching.Generation;
using Microsoft.Extensions.Logging;
using OpenAI.Chat;

namespace CoachFunctions.Llm;

/// <summary>
/// Provider azure-openai: <see cref="AzureOpenAIClient"/> (Azure.AI.OpenAI 2.1.0) with an API key
/// (the <c>api-key</c> header) or an Entra token (<c>Authorization: Bearer</c>), sending
/// <c>POST {root}openai/deployments/{Model}/chat/completions?api-version=2024-10-21</c>.
/// </summary>
/// <remarks>
/// It calls the chat client's protocol method with a body of its own. Azure.AI.OpenAI 2.1.0 was
/// built against OpenAI 2.1.0: its convenience <c>CompleteChatAsync(messages, options)</c> first
/// rewrites the options through an OpenAI member that 2.15.0 no longer has, and throws
/// MissingMethodException on every call. The protocol method still builds the Azure URL, adds the
/// credentials and runs the pipeline (timeout, no retries); only the body and the reading of the
/// answer are done here, with the SDK's own types.
/// </remarks>
public sealed class AzureOpenAIChatModel : SdkChatModel
{
    /// <summary>
    /// Pinned, not left to the package's default: of the two versions 2.1.0 knows, 2024-06-01
    /// predates structured outputs (it refuses response_format json_schema); 2024-10-21 is the
    /// first GA version with them. A package update must not change what the service is asked.
    /// </summary>
    public const AzureOpenAIClientOptions.ServiceVersion ApiVersion = AzureOpenAIClientOptions.ServiceVersion.V2024_10_21;

    private readonly ChatClient _client;

    /// <param name="credential">The Entra credential when <see cref="LlmOptions.UseManagedIdentity"/>; null builds DefaultAzureCredential.</param>
    public AzureOpenAIChatModel(LlmOptions options, TokenCredential? credential, ILogger<AzureOpenAIChatModel> logger) : base(options, logger)
    {
        var endpoint = options.ResolvedEndpoint!;
        var client = options.UseManagedIdentity
            ? new AzureOpenAIClient(endpoint, credential ?? DefaultCredential(options), ClientOptions(options))
            : new AzureOpenAIClient(endpoint, new ApiKeyCredential(options.ApiKey!), ClientOptions(options));
        _client = client.GetChatClient(options.Model!);
    }

    protected override async Task<ChatCompletion> SendAsync(ComposedPrompt prompt, CancellationToken ct)
    {
        using var body = Body(prompt);
        // Non-2xx statuses throw ClientResultException (the default ErrorOptions), as on the convenience path.
        var result = await _client.CompleteChatAsync(body, new RequestOptions { CancellationToken = ct });
        return ModelReaderWriter.Read<ChatCompletion>(result.GetRawResponse().Content)
            ?? throw new InvalidDataException("The chat completion could not be read.");
    }

    /// <summary>The request the convenience method would send: the two messages, the schema, and the token cap.</summary>
    private BinaryContent Body(ComposedPrompt prompt)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", Options.Model); // the deployment is in the URL; Azure ignores this, as the SDK sends it too
            json.WriteStartArray("messages");
            WriteMessage(json, "system", prompt.System);
            WriteMessage(json, "user", prompt.User);
            json.WriteEndArray();
            json.WritePropertyName("response_format");
            json.WriteRawValue(ModelReaderWriter.Write(ChatOutput.Format).ToMemory().Span);
            // max_tokens, not max_completion_tokens: on 2024-10-21 only o1 models accept the new
            // name and every other model refuses it, which is why 2.1.0 swaps it on its own path too.
            json.WriteNumber("max_tokens", Options.MaxOutputTokens);
            json.WriteEndObject();
        }
        return BinaryContent.Create(new BinaryData(buffer.WrittenMemory));

        static void WriteMessage(Utf8JsonWriter json, string role, string content)
        {
            json.WriteStartObject();
            json.WriteString("role", role);
            json.WriteString("content", content);
            json.WriteEndObject();
        }
    }

    private static TokenCredential DefaultCredential(LlmOptions options) => new DefaultAzureCredential(new DefaultAzureCredentialOptions
    {
        ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
    });

    private static AzureOpenAIClientOptions ClientOptions(LlmOptions options) => new(ApiVersion)
    {
        // No SDK retries: 2.1.0's default policy retries 429 and 5xx, honouring retry-after, which
        // would spend the generation budget waiting. The generator falls back to the template at once.
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        // Request and response bodies hold user data: never log them, whatever logging is set up.
        ClientLoggingOptions = new ClientLoggingOptions { EnableMessageContentLogging = false },
    };
}
