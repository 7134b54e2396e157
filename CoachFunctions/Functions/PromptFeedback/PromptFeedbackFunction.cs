using Microsoft.AspNetCore.RateLimiting;
using CoachFunctions.Hosting.RateLimiting;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using System.Text.Json.Serialization;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Coaching.Learning;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.PromptFeedback;

/// <summary><c>like</c>, <c>dislike</c> or <c>correction</c> (text required: what should change).</summary>
public sealed record FeedbackRequest(string? Kind, string? Text);

/// <summary>
/// Feedback on one of the caller's prompts (seed 003), stored with what it was about; once enough
/// new feedback has come in since the last distillation, it is distilled into the learned style.
/// The item, the learned style it led to and (with an <c>Idempotency-Key</c>) the request's record
/// commit in one transaction, so a retry with the key gets the first answer and adds nothing.
/// </summary>
public sealed class PromptFeedbackFunction(PromptStore prompts, UserDataStore store, IStyleDistiller distiller, IdempotentRequests idempotent, TimeProvider time)
{
    [Function("PromptFeedback")]
    [EnableRateLimiting(RateLimits.Feedback)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "prompts/{id}/feedback")] HttpRequest req, string id, CancellationToken ct)
    {
        var http = req.HttpContext;
        if (!IdempotencyKey.TryRead(http.Request, out var key, out var keyProblem)) return keyProblem!;
        var (body, problem) = await JsonBody.ReadAsync<FeedbackRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Dictionary<string, string[]>();
        if (body!.Kind is null || !FeedbackKinds.All.Contains(body.Kind))
            errors["kind"] = ["kind must be 'like', 'dislike' or 'correction'."];
        string? text = null;
        if (body.Text is not null && !InputRules.TryCleanDisplayText(body.Text, FeedbackKinds.MaxTextLength, allowNewlines: true, out text))
            errors["text"] = [$"text must be at most {FeedbackKinds.MaxTextLength} characters with something visible, without control characters other than line breaks."];
        else if (body.Kind == FeedbackKinds.Correction && string.IsNullOrEmpty(text))
            errors["text"] = ["A correction needs text: say what should change."];
        if (errors.Count > 0) return Problems.BadRequest("The feedback is invalid.", errors);

        var userId = http.User.Id();
        return await idempotent.RunAsync(userId, key, IdempotencyKey.Fingerprint("PromptFeedback", id, body), slot => StoreAsync(userId, id, body.Kind!, text, slot, ct), ct);
    }

    private async Task<IResult> StoreAsync(string userId, string id, string kind, string? text, IdempotencySlot? idempotency, CancellationToken ct)
    {
        if (!PromptIds.IsWellFormed(id) || await prompts.GetAsync(userId, id, ct) is not var (prompt, _))
            return Problems.NotFound("The prompt");

        var now = time.GetUtcNow();
        var item = new FeedbackItem(Guid.NewGuid().ToString("N"), prompt.Id, kind, string.IsNullOrEmpty(text) ? null : text,
            prompt.Type, prompt.Strategy, prompt.Message.Length, now);
        var distilled = await FeedbackLearner.DistillIfDueAsync(store, distiller, userId, item, now, ct);
        var answer = new
        {
            id = item.Id,
            promptId = prompt.Id,
            kind = item.Kind,
            distilled = distilled is not null,
            learned = distilled is var (learned, _) ? LearnedView.From(learned) : null,
        };
        var recorded = idempotency?.Record(StatusCodes.Status201Created, answer);
        try
        {
            await store.AddFeedbackAsync(userId, item, distilled, recorded?.Action, ct);
        }
        catch (TableTransactionFailedException e) when (recorded is not null && e.Status is 409 or 412)
        {
            // Only the record can collide (the item's key is new): a request with the same key committed first.
            return Problems.Conflict("A request with the same Idempotency-Key was stored meanwhile.");
        }
        return recorded?.Result ?? Results.Created((string?)null, answer);
    }
}

/// <summary>The learned part of the preferences as clients see it; nothing learned yet is explicit nulls.</summary>
public sealed record LearnedView(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Style,
    IReadOnlyList<string> Rules,
    int FeedbackCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? UpdatedAt)
{
    public static LearnedView From(LearnedStyle l) => new(l.Style, l.Rules, l.FeedbackCount, l.UpdatedAt);
}

/// <summary>
/// When and from what the learned style is distilled: automatically after
/// <see cref="LearningPolicy.NewFeedbackThreshold"/> new items since the last distillation, or on
/// demand; always from the most recent feedback since the last reset.
/// </summary>
public static class FeedbackLearner
{
    /// <summary>
    /// The learned style (and the marks to store with it) once <paramref name="item"/>, not yet stored,
    /// brings the new feedback since the last distillation to the threshold; null when it is not yet
    /// time. Distilled before the item is stored, so both commit in one transaction
    /// (<see cref="UserDataStore.AddFeedbackAsync(string, FeedbackItem, ValueTuple{LearnedStyle, LearningMarks}?, Azure.Data.Tables.TableTransactionAction?, CancellationToken)"/>):
    /// a crash can no longer leave the threshold reached with nothing distilled.
    /// </summary>
    public static async Task<(LearnedStyle Learned, LearningMarks Marks)?> DistillIfDueAsync(UserDataStore store, IStyleDistiller distiller, string userId,
        FeedbackItem item, DateTimeOffset now, CancellationToken ct)
    {
        var (_, marks) = await store.GetLearningAsync(userId, ct);
        var since = Latest(marks.DistilledAt, marks.ResetAt);
        // Counted as the store will count it once written: newer than the mark, by row key (inverted ticks).
        var itemIsNew = since is not { } s || item.At > s;
        var fresh = await store.ListFeedbackAsync(userId, since, LearningPolicy.NewFeedbackThreshold, ct);
        if (fresh.Count + (itemIsNew ? 1 : 0) < LearningPolicy.NewFeedbackThreshold) return null;

        var earlier = await store.ListFeedbackAsync(userId, marks.ResetAt, LearningPolicy.MaxFeedback, ct);
        var feedback = (marks.ResetAt is not { } reset || item.At > reset ? earlier.Prepend(item) : earlier).Take(LearningPolicy.MaxFeedback).ToList();
        return (await distiller.DistillAsync(feedback, now, ct), marks with { DistilledAt = now });
    }

    /// <summary>Distils now, from whatever feedback there is since the last reset.</summary>
    public static async Task<LearnedStyle> DistillNowAsync(UserDataStore store, IStyleDistiller distiller, string userId, DateTimeOffset now, CancellationToken ct) =>
        await DistillAsync(store, distiller, userId, (await store.GetLearningAsync(userId, ct)).Marks, now, ct);

    /// <summary>Forgets what was learned; feedback given before now no longer counts.</summary>
    public static Task ResetAsync(UserDataStore store, string userId, DateTimeOffset now, CancellationToken ct) =>
        store.SaveLearnedAsync(userId, LearnedStyle.None, new LearningMarks(now, now), ct);

    private static async Task<LearnedStyle> DistillAsync(UserDataStore store, IStyleDistiller distiller, string userId, LearningMarks marks,
        DateTimeOffset now, CancellationToken ct)
    {
        var feedback = await store.ListFeedbackAsync(userId, marks.ResetAt, LearningPolicy.MaxFeedback, ct);
        var learned = await distiller.DistillAsync(feedback, now, ct);
        await store.SaveLearnedAsync(userId, learned, marks with { DistilledAt = now }, ct);
        return learned;
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
