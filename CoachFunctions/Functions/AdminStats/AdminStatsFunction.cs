using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;
using System.Globalization;
using CoachFunctions.Api;
using CoachFunctions.Hosting.Auth;
using CoachFunctions.Telemetry;

namespace CoachFunctions.Functions.AdminStats;

/// <summary>
/// Admin: the measures of the last N UTC days (today included), summed over every instance's
/// CoachStats rows. This instance flushes first, so its latest figures are in the answer.
/// </summary>
public sealed class AdminStatsFunction(StatsFlusher flusher, StatsStore store, TimeProvider time)
{
    public const int DefaultDays = 7;
    public const int MaxDays = 90;

    [Function("AdminStats")]
    [Authorize(Policy = AuthPolicies.Admin)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/stats")] HttpRequest req, CancellationToken ct)
    {
        var http = req.HttpContext;
        var days = DefaultDays;
        if (http.Request.Query["days"].ToString() is { Length: > 0 } d && (!int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days is < 1 or > MaxDays))
            return Problems.Invalid("days", $"days must be a whole number from 1 to {MaxDays}.");

        await flusher.FlushAsync(ct);
        var now = time.GetUtcNow();
        var from = StatsAggregator.DayKey(now.AddDays(-(days - 1)));
        var to = StatsAggregator.DayKey(now);
        var (totals, rows) = await store.ReadAsync(from, to, ct);
        return Results.Ok(StatsReport.Create(days, from, to, rows, totals));
    }
}
