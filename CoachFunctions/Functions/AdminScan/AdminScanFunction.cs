using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;
using CoachFunctions.Api;
using CoachFunctions.Functions.OpenApi;
using CoachFunctions.Functions.ScanUsers;
using CoachFunctions.Hosting;
using CoachFunctions.Hosting.Auth;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;

namespace CoachFunctions.Functions.AdminScan;

/// <summary><c>all</c>: judge every user, not only those whose next check is due (after a rule change, for example).</summary>
public sealed record AdminScanRequest(bool? All);

/// <summary>
/// Admin: run a scan now, exactly as a timer tick does: one message per shard. Queued here rather
/// than through a queue output: under the ASP.NET Core integration the worker answers the request
/// before the host writes an invocation's outputs, and the 202 should mean the scan is queued.
/// The messages use the encoding host.json gives the queue trigger.
/// </summary>
public sealed class AdminScanFunction(StorageClients storage, StorageBootstrap bootstrap, TimeProvider time)
{
    [Function("AdminScan")]
    [Authorize(Policy = AuthPolicies.Admin)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/scan")] HttpRequest req, CancellationToken ct)
    {
        var http = req.HttpContext;
        var all = false;
        if (http.Request.ContentLength > 0)
        {
            var (body, problem) = await JsonBody.ReadAsync<AdminScanRequest>(http.Request, ct);
            if (problem is not null) return problem;
            all = body!.All ?? false;
        }
        await bootstrap.EnsureAsync(ct);
        var tick = time.GetUtcNow();
        var queue = storage.Queue(StorageNames.ScanShardsQueue);
        foreach (var shard in UserSummaries.Shards)
            await queue.SendMessageAsync(CoachJson.Serialize(new ScanShardRequest(shard, tick, all)), cancellationToken: ct);
        return Results.Accepted(value: new ScanStarted(tick, UserSummaries.Shards.Count, all));
    }
}
