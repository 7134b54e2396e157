using Microsoft.AspNetCore.RateLimiting;
using CoachFunctions.Hosting.RateLimiting;
using Microsoft.Azure.Functions.Worker;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Coaching.Responses;
using CoachFunctions.Functions.DeliverPrompt;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;

namespace CoachFunctions.Functions.RespondToPrompt;

public sealed record RespondRequest(string? Value, string? Text);

/// <summary>
/// What an answer did: the action and where the conversation goes next, the follow-up prompt
/// (also pushed over SignalR), and the completion, interruption or snooze it recorded.
/// </summary>
public sealed record RespondResult(
    string PromptId,
    string Action,
    string NextStep,
    PromptView FollowUp,
    HabitCompletion? Completion,
    int? Streak,
    HabitInterruption? Interruption,
    DateTimeOffset? SnoozedUntil);

/// <summary>
/// The user answers a prompt with a quick reply or free text. The prompt's new state, the
/// interaction record, any completion or interruption and the follow-up prompt commit together in
/// one entity group transaction, or not at all; the answer is then applied to the summary read
/// before it (no rebuild); the follow-up, stored as sent since it is in this answer's response, is
/// pushed to the user's connections, and a snoozed prompt is queued again for when it is due.
/// Preferences, habits and history come from that summary, as GeneratePrompt's do; the transaction
/// itself checks that the habit a completion names still exists, so a habit deleted a moment ago is
/// never completed. With an <c>Idempotency-Key</c>, the answer's
/// record commits in that same transaction, and a retry with the key gets the first answer again
/// (<see cref="IdempotentRequests"/>).
/// </summary>
public sealed class RespondToPromptFunction(PromptStore prompts, UserSnapshots snapshots, DeliveryScheduler deliveries, IdempotentRequests idempotent,
    IConfiguration configuration, TimeProvider time, CoachMetrics metrics, ILoggerFactory logs, PromptPusher? pusher = null)
{
    public const int MaxTextLength = 1000;

    /// <summary>How long <c>later</c> snoozes, in minutes (default 120); tests shorten it.</summary>
    public const string SnoozeSetting = "Coaching:SnoozeMinutes";

    [Function("RespondToPrompt")]
    [EnableRateLimiting(RateLimits.Respond)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "prompts/{id}/respond")] HttpRequest req, string id, CancellationToken ct)
    {
        var http = req.HttpContext;
        if (!IdempotencyKey.TryRead(http.Request, out var key, out var keyProblem)) return keyProblem!;
        var (body, problem) = await JsonBody.ReadAsync<RespondRequest>(http.Request, ct);
        if (problem is not null) return problem;
        if ((body!.Value is null) == (body.Text is null))
            return Problems.BadRequest("Send exactly one of 'value' (a quick reply) or 'text'.");
        if (body.Value is not null && !QuickReplies.AllValues.Contains(body.Value))
            return Problems.Invalid("value", $"Unknown quick reply; use one of: {string.Join(", ", QuickReplies.AllValues)}.");
        string? text = null;
        if (body.Text is not null && (!InputRules.TryCleanDisplayText(body.Text, MaxTextLength, allowNewlines: true, out text) || text.Length == 0))
            return Problems.Invalid("text", $"text must be 1 to {MaxTextLength} characters with something visible, without control characters other than line breaks.");

        var userId = http.User.Id();
        return await idempotent.RunAsync(userId, key, IdempotencyKey.Fingerprint("RespondToPrompt", id, body), slot => AnswerAsync(userId, id, body, text, slot, ct), ct);
    }

    /// <summary>How often an answer is planned again when the prompt changed between its read and the commit.</summary>
    private const int MaxAttempts = 3;

    /// <summary>
    /// A delivery or an ack that lands between reading the prompt and committing the answer changes
    /// the prompt's ETag, and the commit fails having changed nothing. The answer is still good, so it
    /// is planned again against the prompt as it is now; an answer that came from elsewhere meanwhile
    /// shows up in that read, and is refused as already answered.
    /// </summary>
    private async Task<IResult> AnswerAsync(string userId, string id, RespondRequest body, string? text, IdempotencySlot? idempotency, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await TryAnswerAsync(userId, id, body, text, idempotency, ct) is { } result) return result;
            if (attempt == MaxAttempts)
                return Problems.Conflict("This prompt kept changing while you answered; reload it and try again.");
        }
    }

    /// <summary>The answer against the prompt as read now; null when the prompt changed before the commit.</summary>
    private async Task<IResult?> TryAnswerAsync(string userId, string id, RespondRequest body, string? text, IdempotencySlot? idempotency, CancellationToken ct)
    {
        if (!PromptIds.IsWellFormed(id) || await prompts.GetAsync(userId, id, ct) is not var (prompt, etag))
            return Problems.NotFound("The prompt");

        var now = time.GetUtcNow();
        var (snapshot, basis) = await snapshots.GetWithBasisAsync(userId, ct);
        var preferences = snapshot.Preferences;
        var context = new ResponseContext(now, new LocalClock(now, preferences.Zone).Today, preferences)
        {
            Habits = snapshot.Habits,
            History = snapshot.History,
            Snooze = SnoozeLength(configuration),
        };
        var (plan, refusal) = ResponsePlanner.Plan(context, prompt, body.Value, text);
        switch (refusal)
        {
            case ResponseRefusal.AlreadyAnswered: return Problems.Conflict("This prompt was already answered.");
            case ResponseRefusal.Dismissed: return Problems.Conflict("This prompt was dismissed and can no longer be answered.");
            case ResponseRefusal.Expired:
                if (await prompts.TrySetStateAsync(prompt, etag, PromptStates.Expired, "ExpiredAt", now, ct))
                    metrics.PromptStateChanged(PromptStates.Expired);
                return ExpiredProblem(prompt);
            case ResponseRefusal.NotOpen when prompt.State == PromptStates.Expired: return ExpiredProblem(prompt);
            case ResponseRefusal.NotOpen: return Problems.Conflict($"This prompt is {prompt.State} and can no longer be answered.");
            case ResponseRefusal.UnknownReply: return Problems.Invalid("value", "This prompt does not offer that reply.");
            case ResponseRefusal.NoHabit: return Problems.Invalid("value", "This prompt is not about a habit.");
            case ResponseRefusal.WouldExpire:
                return Problems.Conflict($"Snoozing would deliver this prompt after it expires at {prompt.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture)}: it would expire first. Answer it now or dismiss it.");
        }
        ArgumentNullException.ThrowIfNull(plan); // every refusal returned above
        // The follow-up goes out in this answer's own response, so it is stored as sent (in-app) in the
        // answer's transaction and only pushed to the user's other connections after it: no second
        // write, no delivery request. A connection that misses the push lists it when it reconnects.
        var followUp = FollowUps.Create(prompt, plan, now, context.Today, preferences.Zone) with { SentAt = now, Channel = DeliveryChannels.InApp };
        var result = new RespondResult(prompt.Id, plan.Action, plan.NextStep, PromptView.From(followUp), plan.Completion, plan.Streak,
            plan.Interruption, plan.SnoozeUntil);
        var recorded = idempotency?.Record(StatusCodes.Status200OK, result);
        try
        {
            await prompts.ApplyResponseAsync(prompt, etag, plan, text, followUp, now, basis, ct, recorded?.Action);
        }
        catch (HabitMissingException)
        {
            return Problems.Conflict("The habit this prompt is about no longer exists.");
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409)
        {
            return null;
        }

        metrics.PromptResponded(prompt.Type, plan.Action, now - (prompt.SentAt ?? prompt.CreatedAt));
        if (plan.SnoozeUntil is null) metrics.PromptStateChanged(PromptStates.Responded);

        metrics.PromptDelivered(DeliveryChannels.InApp, followUp.Type);
        if (pusher is not null) await pusher.TrySendAsync(followUp, ct);
        // A snoozed prompt is queued again for when it is due. Should queuing fail, it stays stored
        // and open, and the client's catch-up list still finds it.
        try
        {
            if (plan.SnoozeUntil is { } until)
                await deliveries.EnqueueAsync(prompt with { State = PromptStates.Scheduled, DeliverAt = until }, now, ct);
        }
        catch (RequestFailedException e)
        {
            logs.CreateLogger("RespondToPrompt").LogWarning(e, "Queuing delivery after an answer to prompt {PromptId} failed.", prompt.Id);
        }
        return recorded?.Result ?? Results.Ok(result);
    }

    private static IResult ExpiredProblem(CoachingPrompt prompt) => Problems.Conflict(prompt.ExpiresAt is { } expiredAt
        ? $"This prompt expired at {expiredAt.ToString("O", CultureInfo.InvariantCulture)} and can no longer be answered."
        : "This prompt expired and can no longer be answered.");

    private static TimeSpan SnoozeLength(IConfiguration configuration) =>
        double.TryParse(configuration[SnoozeSetting], NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes > 0
            ? TimeSpan.FromMinutes(minutes)
            : ResponseContext.DefaultSnooze;
}
