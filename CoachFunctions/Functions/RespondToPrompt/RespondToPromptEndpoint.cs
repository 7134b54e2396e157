using Azure;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Coaching.Responses;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.RespondToPrompt;

public sealed record RespondRequest(string? Value, string? Text);

public sealed record RespondResult(string PromptId, string Action, string FollowUp, HabitCompletion? Completion);

/// <summary>
/// The user answers a prompt with a quick reply or free text. The prompt's new state, the
/// interaction record and any habit completion commit together, or not at all.
/// </summary>
public static class RespondToPromptEndpoint
{
    public const int MaxTextLength = 1000;

    public static void Map(IEndpointRouteBuilder api) => api.MapPost("/prompts/{id}/respond", async (string id, HttpContext http,
        PromptStore prompts, UserDataStore store, TimeProvider time, CancellationToken ct) =>
    {
        var (body, problem) = await JsonBody.ReadAsync<RespondRequest>(http.Request, ct);
        if (problem is not null) return problem;
        if ((body!.Value is null) == (body.Text is null))
            return Problems.BadRequest("Send exactly one of 'value' (a quick reply) or 'text'.");
        if (body.Value is not null && !QuickReplies.AllValues.Contains(body.Value))
            return Problems.Invalid("value", $"Unknown quick reply; use one of: {string.Join(", ", QuickReplies.AllValues)}.");
        if (body.Text is not null && (string.IsNullOrWhiteSpace(body.Text) || body.Text.Length > MaxTextLength))
            return Problems.Invalid("text", $"text must be 1 to {MaxTextLength} characters.");

        var userId = http.User.Id();
        if (!PromptIds.IsWellFormed(id) || await prompts.GetAsync(userId, id, ct) is not { } found)
            return Problems.NotFound("The prompt");

        var now = time.GetUtcNow();
        var preferences = await store.GetPreferencesAsync(userId, ct);
        var today = new LocalClock(now, preferences.Zone).Today;
        var (plan, refusal) = ResponsePlanner.Plan(found.Prompt, body.Value, body.Text?.Trim(), today);
        switch (refusal)
        {
            case ResponseRefusal.AlreadyAnswered: return Problems.Conflict("This prompt was already answered.");
            case ResponseRefusal.NotOpen: return Problems.Conflict($"This prompt is {found.Prompt.State} and can no longer be answered.");
            case ResponseRefusal.UnknownReply: return Problems.Invalid("value", "This prompt does not offer that reply.");
            case ResponseRefusal.NoHabit: return Problems.Invalid("value", "This prompt is not about a habit.");
        }
        if (plan!.Completion is { } completion && await store.GetHabitAsync(userId, completion.HabitId, ct) is null)
            return Problems.Conflict("The habit this prompt is about no longer exists.");

        try
        {
            await prompts.ApplyResponseAsync(found.Prompt, found.ETag, plan, body.Text?.Trim(), now, ct);
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409)
        {
            return Problems.Conflict("This prompt changed while you answered; reload it and try again.");
        }
        return Results.Ok(new RespondResult(found.Prompt.Id, plan.Action, plan.FollowUp, plan.Completion));
    }).WithName("RespondToPrompt");
}
