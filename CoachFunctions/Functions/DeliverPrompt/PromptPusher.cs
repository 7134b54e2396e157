using Azure;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.SignalR;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;

namespace CoachFunctions.Functions.DeliverPrompt;

/// <summary>
/// Pushes a stored, due prompt to its user's connections (target <c>coachingPrompt</c>) through
/// SignalR Service's REST API, then marks it sent. DeliverPrompt does this for every delivery
/// request; GeneratePrompt and RespondToPrompt do it themselves for a prompt that is due the moment
/// they stored it, and hand it to the deliveries queue only when the push fails. Registered only
/// when SignalR settings exist (<see cref="SignalRServiceEndpoint"/>).
/// </summary>
public sealed class PromptPusher(PromptStore prompts, SignalRRestClient signalR, CoachMetrics metrics, ILogger<PromptPusher> logger)
{
    /// <summary>
    /// Send first, then mark sent. The other order loses the message when the send fails after the
    /// mark: a retry would find it sent (or its ETag stale) and push nothing. This order can push
    /// twice instead (the mark fails, or a retry follows a send that worked), and the client shows
    /// each prompt id once, so a duplicate changes nothing the user sees. Throws when the send fails;
    /// <paramref name="etag"/> is the prompt row's as read or written, so a prompt answered or
    /// dismissed meanwhile is left as it is.
    /// </summary>
    public async Task PushAsync(CoachingPrompt prompt, ETag etag, DateTimeOffset now, CancellationToken ct)
    {
        var sent = prompt with { State = prompt.State == PromptStates.Scheduled ? PromptStates.Pending : prompt.State, SentAt = now, Channel = DeliveryChannels.InApp };
        await signalR.SendToUserAsync(CoachingHub.Name, prompt.UserId, CoachingHub.PromptTarget, [PromptView.From(sent)], ct);
        if (!await prompts.TryMarkSentAsync(prompt, etag, DeliveryChannels.InApp, now, ct))
        {
            // Changed since we read it (answered or dismissed from the list, or another delivery marked it): it is out either way.
            logger.LogInformation("Prompt {PromptId} changed while it was being delivered; pushed, its state left as it is.", prompt.Id);
            return;
        }
        metrics.PromptDelivered(DeliveryChannels.InApp, prompt.Type);
        logger.LogInformation("Pushed prompt {PromptId} to user {UserId}.", prompt.Id, prompt.UserId);
    }

    /// <summary>
    /// Sends a prompt that is already stored as sent (a follow-up, which went out in its answer's
    /// response) to the user's connections; false, logged, when SignalR Service did not take it.
    /// </summary>
    public async Task<bool> TrySendAsync(CoachingPrompt prompt, CancellationToken ct)
    {
        try
        {
            await signalR.SendToUserAsync(CoachingHub.Name, prompt.UserId, CoachingHub.PromptTarget, [PromptView.From(prompt)], ct);
            return true;
        }
        catch (Exception e) when (e is SignalRSendException or HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            logger.LogWarning(e, "Pushing prompt {PromptId} failed; the user's other connections list it when they reconnect.", prompt.Id);
            return false;
        }
    }

    /// <summary>
    /// For a function that stored a prompt due now: pushes it, or says it could not (SignalR Service
    /// or storage refused, a timeout) so the caller can queue its delivery request instead, as it
    /// did before it pushed prompts itself.
    /// </summary>
    public async Task<bool> TryPushAsync(CoachingPrompt prompt, ETag etag, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await PushAsync(prompt, etag, now, ct);
            return true;
        }
        catch (Exception e) when (e is SignalRSendException or HttpRequestException or RequestFailedException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            logger.LogWarning(e, "Pushing prompt {PromptId} failed; its delivery goes through the deliveries queue.", prompt.Id);
            return false;
        }
    }
}
