using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.Hosting;
using CoachFunctions.Hosting.Invocation;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.DeliverPrompt;

/// <summary>A SignalR output item: sent to every connection of <see cref="UserId"/> only.</summary>
public sealed record SignalRMessage(string Target, object[] Arguments, string? UserId = null);

/// <summary>
/// Queue: push a stored prompt to its user's connections (target <c>coachingPrompt</c>). Prompts the
/// user already answered or dismissed are not pushed again; whether the client saw it is the
/// client's to acknowledge, so an offline user catches up from the prompt list.
/// </summary>
public sealed class DeliverPromptFunction(UserDataStore store, TimeProvider time) : IFunction
{
    public const string Target = "coachingPrompt";

    public string Name => "DeliverPrompt";

    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var delivery = request.Read<DeliveryRequest>("delivery");
        var found = await store.GetPromptAsync(delivery.UserId, delivery.PromptId, cancellationToken);
        if (found is not { } stored)
            return new InvocationResult().Log($"Prompt {delivery.PromptId} of user {delivery.UserId} no longer exists; nothing to deliver.");
        if (!PromptStates.IsOpen(stored.Prompt.State))
            return new InvocationResult().Log($"Prompt {stored.Prompt.Id} is {stored.Prompt.State}; not delivered again.");

        await store.MarkSentAsync(stored.Prompt, time.GetUtcNow(), cancellationToken);
        return new InvocationResult()
            .Output("signalRMessages", new[] { new SignalRMessage(Target, [PromptView.From(stored.Prompt)], stored.Prompt.UserId) })
            .Log($"Pushed prompt {stored.Prompt.Id} to user {stored.Prompt.UserId}.");
    }
}
