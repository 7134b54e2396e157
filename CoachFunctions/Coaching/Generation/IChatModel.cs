namespace CoachFunctions.Coaching.Generation;

/// <summary>
/// A chat model that answers a composed prompt with a title and a message. The domain's view of
/// the LLM: the SDK lives behind it (CoachFunctions.Llm), so generation is testable and SDK-free.
/// </summary>
public interface IChatModel
{
    /// <summary>
    /// One request, no retries. Throws <see cref="ChatModelException"/> when the model failed or
    /// refused service, and <see cref="OperationCanceledException"/> when <paramref name="ct"/> fired.
    /// A reply that is not the expected JSON comes back with a null <see cref="ChatAnswer.Title"/>
    /// or <see cref="ChatAnswer.Message"/> (tokens still count), so the caller can retry it.
    /// </summary>
    Task<ChatAnswer> CompleteAsync(ComposedPrompt prompt, CancellationToken ct);
}

/// <summary>What the model said, with the model name it reported and the tokens it billed.</summary>
public sealed record ChatAnswer(string? Title, string? Message, string Model, int PromptTokens, int CompletionTokens);

/// <summary>The system and user messages of one request (see <see cref="PromptComposer"/>).</summary>
public sealed record ComposedPrompt(string System, string User);

public enum ChatModelFailure
{
    /// <summary>Any failure other than rate limiting: transport, 4xx/5xx, an unreadable response.</summary>
    Error,

    /// <summary>The service answered 429: its quota or rate limit is exhausted.</summary>
    RateLimited,
}

/// <summary>The model could not answer. The message carries no request or response text (it may hold user data).</summary>
public sealed class ChatModelException(ChatModelFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public ChatModelFailure Failure { get; } = failure;
}
