using CoachFunctions.Coaching.Generation;

namespace CoachFunctions.Coaching.Responses;

/// <summary>
/// The coach's reply to an answer, stored as a prompt of its own so it travels the same delivery
/// path as every prompt: same type and facts as the answered prompt, <see cref="CoachingPrompt.ReplyTo"/>
/// set, and stale at the end of the next local day.
/// </summary>
public static class FollowUps
{
    public static string DedupeKey(CoachingPrompt answered, ResponsePlan plan, DateTimeOffset at) =>
        // A prompt is answered once, but may be snoozed several times: each snooze gets its own reply.
        plan.SnoozeUntil is null ? $"followup:{answered.Id}" : $"followup:{answered.Id}:later:{at.UtcTicks}";

    public static CoachingPrompt Create(CoachingPrompt answered, ResponsePlan plan, DateTimeOffset at, DateOnly localToday, TimeZoneInfo zone)
    {
        var dedupeKey = DedupeKey(answered, plan, at);
        return new CoachingPrompt
        {
            Id = PromptIds.Create(at, dedupeKey),
            UserId = answered.UserId,
            Type = answered.Type,
            Priority = answered.Priority,
            Confidence = answered.Confidence,
            Title = plan.FollowUpTitle,
            Message = plan.FollowUp,
            QuickReplies = plan.FollowUpReplies,
            Locale = answered.Locale,
            Strategy = "template", // written here from fixed texts, not by the generator
            DedupeKey = dedupeKey,
            Facts = answered.Facts,
            CreatedAt = at,
            State = PromptStates.Pending,
            DeliverAt = at,
            ExpiresAt = LocalTimes.EndOfNextDay(localToday, zone),
            ReplyTo = answered.Id,
        };
    }
}
