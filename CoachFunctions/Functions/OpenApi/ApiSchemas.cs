using CoachFunctions.Api;
using CoachFunctions.Functions.Habits;

namespace CoachFunctions.Functions.OpenApi;

// The shapes of answers the handlers build as anonymous objects, named for the document only.
// Keep them in step with the handlers (OpenApiDocumentTests checks a few against real answers).

public sealed record PromptPage(IReadOnlyList<PromptView> Items, string? ContinuationToken);

public sealed record HabitList(IReadOnlyList<HabitListItem> Items);

public sealed record CompletionCreated(string HabitId, string Date);

public sealed record ScanStarted(DateTimeOffset TickAt, int ShardsQueued, bool All);

public sealed record HealthStatus(string Status, string Storage);
