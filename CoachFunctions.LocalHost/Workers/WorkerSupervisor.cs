using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Workers;

/// <summary>
/// Starts the worker process and keeps one running: a worker that exits, or whose stream breaks, is
/// killed if need be and started again after a back-off. Its in-flight invocations fail with the
/// stream (their queue messages are released and come back). Stopping sends WorkerTerminate, waits
/// the grace period, then kills.
/// </summary>
internal sealed class WorkerSupervisor(WorkerSlot slot, WorkerLaunch launch, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger("Host.Worker");

    public static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(5);

    private readonly RestartBackoff _backoff = new();
    private volatile object? _processId; // boxed int: read from other threads, never the Process object (it is disposed here)

    public int? ProcessId => _processId as int?;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = Stopwatch.StartNew();
            var workerId = Guid.NewGuid().ToString();
            slot.Expect(workerId);
            WorkerProcess process;
            try
            {
                process = WorkerProcess.Start(launch.StartInfo(workerId), _logger);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                _logger.LogError("Could not start the worker: {Error}", e.Message);
                await DelayAsync(_backoff.Next(TimeSpan.Zero), stoppingToken);
                continue;
            }
            _processId = process.Id;
            _logger.LogDebug("Started worker process {Pid} ({WorkerId}).", process.Id, workerId);

            int? exitCode;
            using (process)
            {
                try
                {
                    await RunUntilGoneAsync(process, workerId, stoppingToken);
                }
                finally
                {
                    process.Kill();
                    _processId = null;
                    exitCode = process.ExitCode;
                }
            }
            if (stoppingToken.IsCancellationRequested) break;

            var delay = _backoff.Next(started.Elapsed);
            _logger.LogWarning("The worker stopped (exit code {ExitCode}); restarting in {Delay} s.", exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", delay.TotalSeconds);
            await DelayAsync(delay, stoppingToken);
        }
    }

    /// <summary>Returns when the process exited or its stream ended; on stop, after a clean terminate (or the grace period).</summary>
    private async Task RunUntilGoneAsync(WorkerProcess process, string workerId, CancellationToken stoppingToken)
    {
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var stopping = Task.Delay(Timeout.Infinite, stoppingToken);

        // Wait until this process's worker is ready (a stale "ready" of its predecessor is skipped).
        WorkerConnection? connection = null;
        Task first;
        while (true)
        {
            var ready = slot.WaitReadyAsync(stoppingToken);
            first = await Task.WhenAny(exited, ready, stopping);
            if (first != ready) break;
            if (!ready.IsCompletedSuccessfully) { first = stopping; break; }
            if (ready.Result.WorkerId == workerId && ready.Result.IsOpen) { connection = ready.Result; break; }
            await Task.WhenAny(Task.Delay(50, CancellationToken.None), exited);
        }
        if (connection is not null) first = await Task.WhenAny(exited, connection.Completion, stopping);

        if (first == stopping)
        {
            var current = slot.Current;
            if (current is not null && current.WorkerId == workerId)
            {
                current.Terminate(TerminateGrace);
                await Task.WhenAny(exited, Task.Delay(TerminateGrace, CancellationToken.None));
                current.Close();
            }
            return;
        }
        if (first == exited)
        {
            // The stream may outlive the process by a moment; close it so callers fail fast.
            if (slot.Current is { } current && current.WorkerId == workerId) current.Close();
        }
        else if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)) != exited)
        {
            // The stream broke but the process lives on: it is no use without its stream.
            _logger.LogWarning("The worker's stream ended while its process {Pid} was still running; killing it.", process.Id);
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try { await Task.Delay(delay, cancellationToken); }
        catch (OperationCanceledException) { }
    }
}
