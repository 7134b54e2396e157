using CoachFunctions.Coaching.Generation;

namespace CoachFunctions.Telemetry;

/// <summary>What became of one request to the LLM, as <see cref="CoachMetrics.LlmRequest"/> counts it.</summary>
public static class LlmOutcomes
{
    /// <summary>The model answered; whether the answer was usable is the generator's judgement (its fallback reasons).</summary>
    public const string Answered = "answered";
    public const string Error = "error";
    public const string RateLimited = "rate_limited";

    /// <summary>The caller's budget ran out (or the host stopped) before an answer came.</summary>
    public const string Timeout = "timeout";
}

/// <summary>
/// Counts every request sent to the chat model, at the one place all of them pass: generation and its
/// retry, style distillation and the AI detector all hold this <see cref="IChatModel"/>. Counting per
/// generated prompt instead missed retries, attempts that failed and every other caller, so the
/// admin stats showed far fewer calls than the LLM received. Each <see cref="CompleteAsync"/> is one
/// HTTP request (the SDK clients do not retry), so this is the LLM's own count.
/// </summary>
public sealed class CountedChatModel(IChatModel inner, CoachMetrics metrics) : IChatModel
{
    public async Task<ChatAnswer> CompleteAsync(ComposedPrompt prompt, CancellationToken ct)
    {
        string outcome = LlmOutcomes.Error;
        try
        {
            var answer = await inner.CompleteAsync(prompt, ct);
            outcome = LlmOutcomes.Answered;
            return answer;
        }
        catch (ChatModelException e) when (e.Failure == ChatModelFailure.RateLimited)
        {
            outcome = LlmOutcomes.RateLimited;
            throw;
        }
        catch (OperationCanceledException)
        {
            outcome = LlmOutcomes.Timeout;
            throw;
        }
        finally
        {
            metrics.LlmRequest(outcome);
        }
    }
}
