using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using CoachFunctions.Hosting;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Api;

/// <summary>
/// The <c>Idempotency-Key</c> request header (the IETF draft's name, as Stripe, Knock and Novu use it):
/// a client that does not know whether a write went through (offline, a timeout) sends it again with
/// the same key, and gets the first answer instead of a second write or a 409.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    /// <summary>On a stored answer given again, so a client (or a person reading logs) can tell.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxLength = 255;

    /// <summary>
    /// The key, null when the header is absent; a problem when it is sent twice, empty, longer than
    /// <see cref="MaxLength"/>, or holds anything but printable ASCII (space to tilde). A key is only
    /// compared, never shown, but it reaches logs and hashes: a narrow alphabet keeps it unambiguous.
    /// </summary>
    public static bool TryRead(HttpRequest request, out string? key, out IResult? problem)
    {
        key = null;
        problem = null;
        if (!request.Headers.TryGetValue(Header, out var values)) return true;
        if (values.Count != 1)
        {
            problem = Problems.Invalid(Header, $"Send one {Header} header.");
            return false;
        }
        if (!IsValid(values[0]))
        {
            problem = Problems.Invalid(Header, $"{Header} must be 1 to {MaxLength} printable ASCII characters.");
            return false;
        }
        key = values[0];
        return true;
    }

    public static bool IsValid(string? key) =>
        key is { Length: >= 1 and <= MaxLength } && key.All(c => c is >= ' ' and <= '~');

    /// <summary>
    /// What makes two requests "the same": the function, the resource it acts on (the prompt id) and
    /// the body as the function read it, re-serialized, so spacing and member order do not matter but
    /// every value does. Hashed: the record need not hold what the user wrote.
    /// </summary>
    public static string Fingerprint<T>(string function, string resource, T body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{function}\n{resource}\n{JsonSerializer.Serialize(body, CoachJson.Options)}")));
}

/// <summary>
/// Where a keyed request's answer goes: the handler asks for the record of its success
/// (<see cref="Record"/>) before it commits, puts the record's action into the same entity group
/// transaction as its own writes, and answers with the record's <see cref="Recorded.Result"/>, the
/// very bytes a retry will get.
/// </summary>
public sealed class IdempotencySlot(string userId, string key, string fingerprint, DateTimeOffset now, ETag? expired)
{
    public sealed record Recorded(TableTransactionAction Action, IResult Result);

    public Recorded Record<T>(int status, T body)
    {
        var json = JsonSerializer.Serialize(body, CoachJson.Options);
        var record = new IdempotencyRecord(fingerprint, status, json, now);
        return new Recorded(IdempotencyRecords.Save(userId, key, record, expired), IdempotentRequests.Answer(record));
    }
}

/// <summary>
/// Runs a write with or without an <c>Idempotency-Key</c>. Without one, the handler runs as it always
/// did. With one:
/// <list type="bullet">
/// <item>a fresh record (under 24 h) for the same request answers at once with its stored status and
/// body (header <c>Idempotent-Replayed: true</c>), and nothing runs; for a different request
/// (another body, prompt or route) it is a 422 problem;</item>
/// <item>otherwise the handler runs, and its success commits together with the record;</item>
/// <item>only successes are recorded. A refusal changed nothing (validation comes before any write),
/// so a retry is judged afresh, as Stripe does for requests that fail validation.</item>
/// </list>
/// Concurrent requests with the same key: each reads no record and runs, but the record's insert (or
/// its ETag-guarded replace of an expired one) is in each one's transaction, so only one can commit.
/// The others fail whole, or are refused first because the winner already changed the prompt; a
/// refused keyed request looks for the record once more, finds the winner's, and answers with it. So
/// every request with that key gets the winner's answer: there is no "in progress" state to report,
/// because the record exists only once the answer does.
/// </summary>
public sealed class IdempotentRequests(IdempotencyRecords records, TimeProvider time)
{
    public async Task<IResult> RunAsync(string userId, string? key, string fingerprint, Func<IdempotencySlot?, Task<IResult>> handle, CancellationToken ct)
    {
        if (key is null) return await handle(null);

        var now = time.GetUtcNow();
        var existing = await records.GetAsync(userId, key, ct);
        if (existing is var (record, _) && record.IsFreshAt(now)) return Replay(record, fingerprint);

        var result = await handle(new IdempotencySlot(userId, key, fingerprint, now, existing?.ETag));
        if (result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 }) return result;

        // Refused: perhaps because a request with the same key committed meanwhile (it answered the
        // prompt, or its record's insert beat ours). Its answer is this request's answer too.
        if (await records.GetAsync(userId, key, ct) is var (winner, _) && winner.IsFreshAt(time.GetUtcNow())) return Replay(winner, fingerprint);
        return result;
    }

    private static IResult Replay(IdempotencyRecord record, string fingerprint) =>
        record.Fingerprint == fingerprint
            ? new ReplayedResult(Answer(record))
            : Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The idempotency key was used for another request.",
                detail: $"This {IdempotencyKey.Header} was sent with a different request (another body, prompt or route) less than 24 hours ago. Use a new key for a new request.");

    internal static IResult Answer(IdempotencyRecord record) => Results.Text(record.Body, "application/json; charset=utf-8", Encoding.UTF8, record.Status);

    /// <summary>The stored answer, marked as given again.</summary>
    private sealed class ReplayedResult(IResult answer) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (answer as IStatusCodeHttpResult)?.StatusCode;

        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers[IdempotencyKey.ReplayedHeader] = "true";
            return answer.ExecuteAsync(http);
        }
    }
}
