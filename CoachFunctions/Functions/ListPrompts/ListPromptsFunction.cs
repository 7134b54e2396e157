using Microsoft.Azure.Functions.Worker;
using System.Buffers.Text;
using System.Text;
using Azure;
using CoachFunctions.Api;
using CoachFunctions.Coaching;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.ListPrompts;

/// <summary>
/// The caller's prompts, newest first, a page at a time; optionally only in some states
/// (<c>state=pending,delivered,seen</c>) and created since an instant (<c>since=</c>, ISO 8601): a
/// client that reconnects asks for what it has not acknowledged or answered since it left.
/// </summary>
public sealed class ListPromptsFunction(PromptStore store)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    [Function("ListPrompts")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "prompts")] HttpRequest req, CancellationToken ct)
    {
        var http = req.HttpContext;
        var query = http.Request.Query;
        var states = query["state"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        if (states.FirstOrDefault(s => !PromptStates.All.Contains(s)) is not null)
            return Problems.Invalid("state", $"Unknown state; use one or more (comma-separated) of: {string.Join(", ", PromptStates.All)}.");

        DateTimeOffset? since = null;
        if (query["since"].ToString() is { Length: > 0 } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
                || parsed.Year < 2000 || parsed.Year > 9000)
                return Problems.Invalid("since", "since must be an ISO 8601 instant such as 2026-11-21T08:00:00Z.");
            since = parsed;
        }

        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } l && (!int.TryParse(l, out limit) || limit is < 1 or > MaxLimit))
            return Problems.Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}.");

        string? continuation = null;
        if (query["continuationToken"].ToString() is { Length: > 0 } token)
        {
            continuation = DecodeToken(token);
            if (continuation is null) return Problems.Invalid("continuationToken", "The continuation token is not one this API issued.");
        }

        try
        {
            var (items, next) = await store.ListAsync(http.User.Id(), states, since, limit, continuation, ct);
            return Results.Ok(new { items = items.Select(PromptView.From), continuationToken = next is null ? null : EncodeToken(next) });
        }
        catch (RequestFailedException e) when (e.Status == 400 && continuation is not null)
        {
            return Problems.Invalid("continuationToken", "The continuation token is not one this API issued.");
        }
    }

    /// <summary>Storage continuation tokens travel URL-safe and opaque.</summary>
    private static string EncodeToken(string token) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(token));

    private static string? DecodeToken(string token)
    {
        if (token.Length > 2048 || !Base64Url.IsValid(token)) return null;
        try { return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)); }
        catch (FormatException) { return null; }
    }
}
