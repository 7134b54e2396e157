using Microsoft.Extensions.Hosting;

namespace CoachFunctions.LocalHost;

/// <summary>
/// No console lifetime: as a library (in tests) the host must not take over the process's Ctrl-C;
/// Program.cs handles SIGINT/SIGTERM itself and calls StopAsync.
/// </summary>
internal sealed class NullHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
