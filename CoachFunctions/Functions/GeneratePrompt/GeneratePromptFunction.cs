using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Detectors;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Hosting;
using CoachFunctions.Hosting.Invocation;
using CoachFunctions.Coaching.Frequency;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;

namespace CoachFunctions.Functions.GeneratePrompt;

/// <summary>
/// Queue: detection in, stored prompt and delivery request out. Frequency control runs again here
/// against the user's current summary (the authoritative check: the scan's view may be minutes
/// old). Idempotent: a redelivered detection finds the prompt already stored and only re-requests
/// delivery if it never went out.
/// </summary>
public sealed class GeneratePromptFunction(UserSnapshots snapshots, UserDataStore users, PromptStore prompts, PromptGenerator generator,
    CoachingEngine engine, DeliveryScheduler deliveries, CoachMetrics metrics, TimeProvider time) : IFunction
{
    public string Name => "GeneratePrompt";

    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var detection = request.Read<Detection>("detection");
        if (string.IsNullOrWhiteSpace(detection.UserId) || !PromptTypes.All.Contains(detection.Type) || string.IsNullOrWhiteSpace(detection.DedupeKey))
            throw new InvalidInvocationException("The detection lacks a user, a known type or a deduplication key.");

        var now = time.GetUtcNow();
        var result = new InvocationResult();
        var snapshot = await snapshots.GetAsync(detection.UserId, cancellationToken);
        var (planned, suppressed) = engine.Admit(detection, snapshot, now);
        if (suppressed is not null)
        {
            metrics.PromptSuppressed(suppressed.Reason, detection.Type);
            return result.Log($"Held back {detection.Type} for user {detection.UserId}: {suppressed.Reason}.");
        }

        CoachingPrompt prompt;
        if (planned is null)
        {
            // Already made for this moment: a redelivered message. Re-request delivery only if it never went out.
            prompt = await prompts.FindByDedupeKeyAsync(detection.UserId, detection.DedupeKey, cancellationToken)
                     ?? throw new InvalidOperationException($"The summary lists {detection.DedupeKey} but no prompt has that key.");
            result.Log($"Found existing prompt {prompt.Id} ({prompt.Type}) for user {prompt.UserId}.");
        }
        else
        {
            var learned = await users.GetLearnedAsync(detection.UserId, cancellationToken);
            var generated = await generator.GenerateAsync(detection, snapshot.Preferences, learned, now, cancellationToken);
            var candidate = generated with
            {
                State = planned.Deferred ? PromptStates.Scheduled : PromptStates.Pending,
                DeliverAt = planned.DeliverAt,
                ExpiresAt = planned.ExpiresAt,
            };
            (prompt, var created) = await prompts.CreateAsync(candidate, cancellationToken);
            if (created) Record(prompt);
            result.Log($"{(created ? "Created" : "Found existing")} {prompt.State} prompt {prompt.Id} ({prompt.Type}, {prompt.Strategy}) for user {prompt.UserId}.");
        }

        if (prompt.SentAt is null && PromptStates.IsOpen(prompt.State))
        {
            if (await deliveries.ScheduleAsync(prompt, now, cancellationToken) is { } immediate)
                result.Output("delivery", immediate);
        }
        return result;
    }

    private void Record(CoachingPrompt prompt)
    {
        metrics.PromptGenerated(prompt.Type, prompt.Priority, prompt.Strategy);
        // Held until quiet hours end: counted with its reason, though it is deferred rather than lost.
        if (prompt.State == PromptStates.Scheduled) metrics.PromptSuppressed(SuppressionReasons.QuietHours, prompt.Type);
        var g = prompt.Generation;
        if (g.Attempts > 0 && g.LatencyMs is { } ms) metrics.LlmPromptGenerated(TimeSpan.FromMilliseconds(ms), g.PromptTokens ?? 0, g.CompletionTokens ?? 0);
        if (g.FallbackReason is { } reason) metrics.LlmFallback(reason);
    }
}
