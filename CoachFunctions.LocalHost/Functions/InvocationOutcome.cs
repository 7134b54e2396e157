using CoachFunctions.LocalHost.Rpc;

namespace CoachFunctions.LocalHost.Functions;

/// <summary>How an invocation ended. <see cref="Error"/> is for the log only: it may hold exception text.</summary>
internal sealed record InvocationOutcome(bool Succeeded, string? Error, InvocationResponse? Response)
{
    /// <summary>The function did not run to an answer because no worker was there (down, restarting, or it crashed mid-way).</summary>
    public bool WorkerUnavailable { get; init; }

    public static InvocationOutcome Failed(string error) => new(false, error, null);

    public static InvocationOutcome NoWorker(string error) => new(false, error, null) { WorkerUnavailable = true };
}
