using CoachFunctions.Functions.ScanUsers;
using CoachFunctions.Hosting;
using CoachFunctions.Hosting.Auth;
using CoachFunctions.Storage;

namespace CoachFunctions.Functions.AdminScan;

/// <summary>
/// Admin: run a scan now. A forwarded HTTP function has no output bindings, so the detections are
/// queued here directly, in the encoding host.json gives the queue trigger.
/// </summary>
public static class AdminScanEndpoint
{
    public static void Map(IEndpointRouteBuilder api) => api.MapPost("/admin/scan", async (UserScanner scanner, StorageClients storage, CancellationToken ct) =>
    {
        var scan = await scanner.ScanAsync(ct);
        var queue = storage.Queue(StorageNames.DetectionsQueue);
        foreach (var detection in scan.Detections)
            await queue.SendMessageAsync(CoachJson.Serialize(detection), cancellationToken: ct);
        return Results.Ok(new { usersScanned = scan.UsersScanned, detectionsQueued = scan.Detections.Count });
    }).RequireAuthorization(AuthPolicies.Admin).WithName("AdminScan");
}
