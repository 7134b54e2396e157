namespace CoachFunctions.Coaching.Generation;

/// <summary>Why the template served although the strategy asked for the LLM (<see cref="GenerationInfo.FallbackReason"/>).</summary>
public static class FallbackReasons
{
    public const string Timeout = "timeout";
    public const string Error = "error";
    public const string RateLimited = "rate_limited";
    public const string InvalidOutput = "invalid_output";
}
