using CoachFunctions.LocalHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// The app as it runs locally: the local host (CoachFunctions.LocalHost: triggers, HTTP front door,
/// SignalR Service stand-in, development sign-in) on a loopback port, driving the app's worker built
/// in this process (<see cref="InProcessWorker"/>) with the test's clock, against the shared Azurite.
/// </summary>
public sealed class AppHost : IAsyncDisposable
{
    private readonly FunctionsLocalHost _host;
    private readonly IHost _worker;

    private AppHost(FunctionsLocalHost host, IHost worker)
    {
        _host = host;
        _worker = worker;
    }

    public Uri BaseAddress => _host.BaseAddress;

    /// <summary>The functions the local host loaded from the worker.</summary>
    public IReadOnlyList<string> FunctionNames => _host.FunctionNames;

    /// <summary>The worker's services: the stores, the clock, the metrics the functions use.</summary>
    public IServiceProvider Services => _worker.Services;

    /// <param name="workerOnly">Settings only the worker gets (the host keeps the test's), e.g. storage it cannot reach.</param>
    public static async Task<AppHost> StartLocalAsync(Azurite azurite, IDictionary<string, string?>? settings = null, int? port = null, TimeProvider? time = null,
        IDictionary<string, string?>? workerOnly = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Auth:SigningKey"] = TestKeys.SigningKey,
            ["ScanSchedule"] = "0 0 0 1 1 *", // tests scan on demand; a timer tick mid-test would race them
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;

        var host = await FunctionsLocalHost.StartAsync(new LocalHostOptions
        {
            AppDirectory = InProcessWorker.AppDirectory,
            ListenUrl = $"http://127.0.0.1:{port ?? 0}",
            Settings = all,
            StartWorker = false,
            ConfigureLogging = l => l.SetMinimumLevel(Environment.GetEnvironmentVariable("COACH_TEST_LOGS") is null ? LogLevel.Warning : LogLevel.Information),
        });
        IHost? worker = null;
        try
        {
            // What the host would give its worker process (its settings, SignalR and signing key included), then the test's own.
            var workerSettings = new Dictionary<string, string?>(host.WorkerSettings, StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in workerOnly ?? new Dictionary<string, string?>()) workerSettings[k] = v;
            worker = InProcessWorker.Build(workerSettings, host.GrpcUri, time);
            await worker.StartAsync();
            using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await host.WaitForWorkerAsync(ready.Token);
            await WaitForRoutesAsync(host.BaseAddress, ready.Token);
            return new AppHost(host, worker);
        }
        catch
        {
            // Whatever failed is the news; cleaning up after it must not replace it.
            try
            {
                await host.DisposeAsync();
                if (worker is not null) await StopAsync(worker);
            }
            catch (Exception) { }
            throw;
        }
    }

    /// <summary>
    /// The host publishes its HTTP routes just after the worker reports ready (a continuation, not
    /// in step with WaitForWorkerAsync), so the first request could still meet the host's 404.
    /// </summary>
    private static async Task WaitForRoutesAsync(Uri baseAddress, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        while ((await http.GetAsync("/api/openapi.json", ct)).StatusCode == System.Net.HttpStatusCode.NotFound)
            await Task.Delay(20, ct);
    }

    public async ValueTask DisposeAsync()
    {
        // The worker first, so nothing is left in flight. The host then waits for its gRPC stream
        // to end, and an in-process worker never ends it (the real one does by exiting; the worker
        // keeps the stream open until its process ends): the host's stop gets a short deadline,
        // after which Kestrel aborts the stream instead of waiting out its 30 s shutdown timeout.
        await StopAsync(_worker);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        try { await _host.StopAsync(deadline.Token); } catch (OperationCanceledException) { }
        await _host.DisposeAsync();
    }

    private static async Task StopAsync(IHost worker)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await worker.StopAsync(timeout.Token); } catch (OperationCanceledException) { }
        worker.Dispose();
    }
}
