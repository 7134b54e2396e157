using Microsoft.Azure.Functions.Worker;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.Events;

/// <summary>
/// Activity the app reports: <c>conversation</c> (the user talked with the coach), <c>progress</c>
/// (progress other than a habit check-in) or <c>context_change</c> with the <c>context</c> (travel,
/// illness, ...) the coach should speak to; an optional note in the user's words.
/// </summary>
public sealed record EventRequest(string? Kind, string? Context, string? Note);

/// <summary>Stores an event and keeps the user's summary current, so the detectors see it on the next scan.</summary>
public sealed class ReportEventFunction(UserDataStore store, TimeProvider time)
{
    public const int MaxNoteLength = 500;

    [Function("ReportEvent")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "events")] HttpRequest req, CancellationToken ct)
    {
        var http = req.HttpContext;
        var (body, problem) = await JsonBody.ReadAsync<EventRequest>(http.Request, ct);
        if (problem is not null) return problem;
        var errors = new Dictionary<string, string[]>();
        if (body!.Kind is null || !EventKinds.All.Contains(body.Kind))
            errors["kind"] = [$"kind must be one of: {string.Join(", ", EventKinds.All)}."];
        if (body.Kind == EventKinds.ContextChange && (body.Context is null || !ContextKinds.All.Contains(body.Context)))
            errors["context"] = [$"A context_change names its context: one of {string.Join(", ", ContextKinds.All)}."];
        else if (body.Kind != EventKinds.ContextChange && body.Context is not null)
            errors["context"] = ["Only a context_change has a context."];
        string? note = null;
        if (body.Note is not null && !InputRules.TryCleanDisplayText(body.Note, MaxNoteLength, allowNewlines: true, out note))
            errors["note"] = [$"note must be at most {MaxNoteLength} characters with something visible, without control characters other than line breaks."];
        if (errors.Count > 0) return Problems.BadRequest("The event is invalid.", errors);

        var at = time.GetUtcNow();
        var id = await store.AddEventAsync(http.User.Id(), body.Kind!, body.Context, string.IsNullOrEmpty(note) ? null : note, at, ct);
        return Results.Created((string?)null, new { id, kind = body.Kind, context = body.Context, at });
    }
}
