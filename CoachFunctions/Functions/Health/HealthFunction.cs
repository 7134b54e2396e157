using CoachFunctions.Api;
using CoachFunctions.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.Health;

/// <summary>
/// Liveness and storage reachability as of the last few seconds (<see cref="StorageHealth"/>);
/// anonymous, so probes need no token. 503 with Retry-After while storage does not answer.
/// </summary>
public sealed class HealthFunction(StorageHealth storage)
{
    [Function("Health")]
    [AllowAnonymous]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req, CancellationToken ct)
    {
        if (await storage.IsReachableAsync(ct)) return Results.Ok(new { status = "healthy", storage = "reachable" });
        return Problems.StorageUnavailable(req.HttpContext);
    }
}
