using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Workers;

/// <summary>A started worker process; its console output goes to this host's log (the worker's own logs arrive as RpcLog).</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(ProcessStartInfo startInfo, ILogger logger)
    {
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) logger.LogDebug("[worker stdout] {Line}", e.Data); };
        // Unhandled exceptions and runtime failures land on stderr: they explain a crash, so keep them visible.
        process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrWhiteSpace(e.Data)) logger.LogWarning("[worker stderr] {Line}", e.Data); };
        if (!process.Start()) throw new InvalidOperationException($"Could not start '{startInfo.FileName}'.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process);
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    public void Dispose() => _process.Dispose();
}
