using CoachFunctions.Hosting;
using CoachFunctions.Hosting.Invocation;

namespace CoachFunctions.Functions.ScanUsers;

/// <summary>Timer: scan every user and queue what is due. The host writes the detections to the queue.</summary>
public sealed class ScanUsersFunction(UserScanner scanner) : IFunction
{
    public string Name => "ScanUsers";

    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var scan = await scanner.ScanAsync(cancellationToken);
        return new InvocationResult()
            .Output("detections", scan.Detections)
            .Log($"Scanned {scan.UsersScanned} users, queued {scan.Detections.Count} detections.");
    }
}
