namespace CoachFunctions.Coaching.Channels;

/// <summary>
/// One try at handing a prompt to one channel, as stored on the prompt and shown in its view.
/// <see cref="Outcome"/> is <c>sent</c>, <c>retry_later</c>, <c>refused</c> or <c>failed</c> (retries ran out);
/// <see cref="Reason"/> is the sender's short, secret-free reason.
/// </summary>
public sealed record DeliveryAttempt(string Channel, int Attempt, DateTimeOffset At, string Outcome, string? Reason = null)
{
    public const string Sent = "sent";
    public const string RetryLater = "retry_later";
    public const string Refused = "refused";
    public const string Failed = "failed";

    /// <summary>The log stays well inside a table property (64 KiB): the newest attempts are kept.</summary>
    public const int MaxKept = 30;
    public const int MaxReasonLength = 200;

    public static DeliveryAttempt From(string channel, int attempt, DateTimeOffset at, ChannelResult result, bool lastTry) => new(
        channel, attempt, at,
        result.Outcome switch
        {
            ChannelOutcome.Sent => Sent,
            ChannelOutcome.Refused => Refused,
            _ => lastTry ? Failed : RetryLater,
        },
        result.Reason is { Length: > MaxReasonLength } r ? r[..MaxReasonLength] : result.Reason);

    /// <summary>The log with one more attempt, bounded to the newest <see cref="MaxKept"/>.</summary>
    public static IReadOnlyList<DeliveryAttempt> Append(IReadOnlyList<DeliveryAttempt> log, DeliveryAttempt attempt) =>
        [.. log.Append(attempt).TakeLast(MaxKept)];
}
