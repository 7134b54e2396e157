using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Hosting;
using CoachFunctions.Hosting.Invocation;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.GeneratePrompt;

/// <summary>The message on the deliveries queue: which prompt to deliver to whom.</summary>
public sealed record DeliveryRequest(string UserId, string PromptId);

/// <summary>
/// Queue: detection in, stored prompt and delivery request out. Idempotent: a redelivered detection
/// finds the prompt already stored and only re-requests delivery if it never went out.
/// </summary>
public sealed class GeneratePromptFunction(UserDataStore store, PromptGenerator generator, TimeProvider time) : IFunction
{
    public string Name => "GeneratePrompt";

    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var detection = request.Read<Detection>("detection");
        if (string.IsNullOrWhiteSpace(detection.UserId) || !PromptTypes.All.Contains(detection.Type) || string.IsNullOrWhiteSpace(detection.DedupeKey))
            throw new InvalidInvocationException("The detection lacks a user, a known type or a deduplication key.");

        var preferences = await store.GetPreferencesAsync(detection.UserId, cancellationToken);
        var candidate = await generator.GenerateAsync(detection, preferences, LearnedStyle.None, time.GetUtcNow(), cancellationToken);
        var (prompt, created) = await store.CreatePromptAsync(candidate, cancellationToken);

        var result = new InvocationResult()
            .Log($"{(created ? "Created" : "Found existing")} prompt {prompt.Id} ({prompt.Type}) for user {prompt.UserId}.");
        if (prompt.SentAt is null && PromptStates.IsOpen(prompt.State))
            result.Output("delivery", new DeliveryRequest(prompt.UserId, prompt.Id));
        return result;
    }
}
