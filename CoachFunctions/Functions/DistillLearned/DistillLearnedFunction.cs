using Microsoft.Azure.Functions.Worker;
using CoachFunctions.Api;
using CoachFunctions.Coaching.Learning;
using CoachFunctions.Functions.PromptFeedback;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.DistillLearned;

/// <summary>Distils the caller's feedback into the learned style now, without waiting for enough new feedback.</summary>
public sealed class DistillLearnedFunction(UserDataStore store, IStyleDistiller distiller, TimeProvider time)
{
    [Function("DistillLearned")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "preferences/learned/distill")] HttpRequest req, CancellationToken ct)
    {
        var http = req.HttpContext;
        // No body is expected; one that is sent must be an empty JSON object, so nothing unknown is silently ignored.
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var (_, problem) = await JsonBody.ReadAsync<EmptyRequest>(http.Request, ct);
            if (problem is not null) return problem;
        }
        var learned = await FeedbackLearner.DistillNowAsync(store, distiller, http.User.Id(), time.GetUtcNow(), ct);
        return Results.Ok(LearnedView.From(learned));
    }
}

/// <summary>A body with no members.</summary>
public sealed record EmptyRequest;
