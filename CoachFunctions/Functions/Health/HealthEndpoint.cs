using CoachFunctions.Api;
using CoachFunctions.Storage;

namespace CoachFunctions.Functions.Health;

/// <summary>Liveness and storage reachability; anonymous, so probes need no token.</summary>
public static class HealthEndpoint
{
    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/health", async (StorageBootstrap storage, ILoggerFactory logs, CancellationToken ct) =>
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
            logs.CreateLogger("Health").LogWarning(e, "Storage is not reachable");
            return Problems.Unavailable("Storage is not reachable.");
        }
    }).AllowAnonymous().WithName("Health");
}
