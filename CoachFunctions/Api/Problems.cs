namespace CoachFunctions.Api;

/// <summary>RFC 9457 problem details with the messages this API uses.</summary>
public static class Problems
{
    public static IResult BadRequest(string detail, IDictionary<string, string[]>? errors = null) => errors is null
        ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request is invalid.", detail: detail)
        : Results.ValidationProblem(errors, detail: detail, title: "The request is invalid.");

    public static IResult Invalid(string field, string message) =>
        BadRequest(message, new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Also for things that exist but belong to someone else: existence must not leak.</summary>
    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"{what} was not found.");

    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The request conflicts with the current state.", detail: detail);

    public static IResult PreconditionFailed(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The resource changed.", detail: detail);

    public static IResult Unavailable(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable.", detail: detail);

    /// <summary>
    /// Storage is not answering: a 503 with Retry-After, at once. Nothing was changed (a write that got
    /// no answer may have landed; every write here is idempotent or guarded by an ETag, so a retry is safe).
    /// </summary>
    public static IResult StorageUnavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = StorageRetryAfterSeconds;
        return Unavailable("Storage is not reachable at the moment; try again in a few seconds.");
    }

    /// <summary>A few seconds: storage is probed once a second while it is out, and health is at most 3 s old.</summary>
    public const string StorageRetryAfterSeconds = "5";
}
