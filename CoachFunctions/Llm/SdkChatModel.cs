using System.ClientModel;
using CoachFunctions.Coaching.Generation;
using Microsoft.Extensions.Logging;
using OpenAI.Chat;

namespace CoachFunctions.Llm;

/// <summary>
/// What every provider shares: one request, its failures mapped to <see cref="ChatModelException"/>
/// (429 apart from the rest), and the answer read as <see cref="ChatOutput"/>. Cancellation and the
/// SDK's own network timeout pass through as <see cref="OperationCanceledException"/>, which the
/// generator records as a timeout.
/// </summary>
public abstract class SdkChatModel(LlmOptions options, ILogger logger) : IChatModel
{
    protected LlmOptions Options { get; } = options;

    /// <summary>Sends one chat-completions request and returns the completion; SDK exceptions are mapped by the caller.</summary>
    protected abstract Task<ChatCompletion> SendAsync(ComposedPrompt prompt, CancellationToken ct);

    public async Task<ChatAnswer> CompleteAsync(ComposedPrompt prompt, CancellationToken ct)
    {
        ChatCompletion completion;
        try
        {
            completion = await SendAsync(prompt, ct);
        }
        catch (ClientResultException e) when (!ct.IsCancellationRequested)
        {
            // Status only: the response body (and the exception's message, which quotes it) may echo the request, which holds user data.
            logger.LogWarning("The chat model answered HTTP {Status} ({Provider}, model {Model}).", e.Status, Options.ResolvedProvider, Options.Model);
            throw new ChatModelException(e.Status == 429 ? ChatModelFailure.RateLimited : ChatModelFailure.Error,
                $"The chat model answered HTTP {e.Status}.", e);
        }
        catch (Exception e) when (e is not OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("The chat model request failed: {Error} ({Provider}, model {Model}).", e.GetType().Name, Options.ResolvedProvider, Options.Model);
            throw new ChatModelException(ChatModelFailure.Error, $"The chat model request failed ({e.GetType().Name}).", e);
        }
        return ChatOutput.ToAnswer(completion, Options.Model!);
    }
}
