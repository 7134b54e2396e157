using Microsoft.Extensions.Hosting;

namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// The app as it runs locally: the local host (CoachFunctions.LocalHost: triggers, HTTP front door,
/// SignalR Service stand-in) on a loopback port, driving the app's worker built in this process
/// (<see cref="InProcessWorker"/>) with the test's clock, against the shared Azurite.
/// </summary>
public sealed class AppHost : IAsyncDisposable
{
    private readonly IHost _worker;

    private AppHost(IHost worker, Uri baseAddress)
    {
        _worker = worker;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _worker.Services;

    public static Task<AppHost> StartLocalAsync(Azurite azurite, IDictionary<string, string?>? settings = null, int? port = null, TimeProvider? time = null) =>
        throw new NotSupportedException("Tests that run the app need CoachFunctions.LocalHost (the stand-in Functions host), which is not in this branch yet.");

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await _worker.StopAsync(timeout.Token); } catch (OperationCanceledException) { }
        _worker.Dispose();
    }
}
