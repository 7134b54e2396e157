using CoachFunctions.Api;
using CoachFunctions.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;

namespace CoachFunctions.Functions.Health;

/// <summary>Liveness and storage reachability; anonymous, so probes need no token.</summary>
public sealed class HealthFunction(StorageBootstrap storage, ILogger<HealthFunction> logger)
{
    [Function("Health")]
    [AllowAnonymous]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await storage.EnsureAsync(timeout.Token);
            return Results.Ok(new { status = "healthy", storage = "reachable" });
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Storage is not reachable");
            return Problems.Unavailable("Storage is not reachable.");
        }
    }
}
