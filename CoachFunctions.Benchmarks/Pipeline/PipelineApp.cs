using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CoachFunctions.Hosting;
using CoachFunctions.LocalHost;
using CoachFunctions.Storage;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.Benchmarks.Pipeline;

/// <summary>
/// The app as the tests run it (CoachFunctions.Tests' AppHost and InProcessWorker): the local host
/// (triggers, HTTP front door, SignalR Service stand-in) on a loopback port, driving the app's worker
/// built in this process exactly as Program.cs builds it. Both sides' storage clients carry the
/// counting policy: the worker's <see cref="StorageClients"/> and the host's queue clients
/// (<see cref="LocalHostOptions.QueuePipelinePolicy"/>), and a worker middleware names the
/// invocation each request runs in.
/// </summary>
public sealed class PipelineApp : IAsyncDisposable
{
    private readonly FunctionsLocalHost _host;
    private readonly IHost _worker;

    private PipelineApp(FunctionsLocalHost host, IHost worker)
    {
        _host = host;
        _worker = worker;
    }

    public Uri BaseAddress => _host.BaseAddress;

    /// <summary>The stand-in's SignalR Service connection string (endpoint and this run's access key), as the worker got it.</summary>
    public string SignalRConnectionString => _host.WorkerSettings["AzureSignalRConnectionString"]!;

    public IServiceProvider Services => _worker.Services;

    public static async Task<PipelineApp> StartAsync(string storage, WireLog wire, CancellationToken ct)
    {
        var appDirectory = AppContext.BaseDirectory;
        // The ASP.NET Core integration and the host read these from the process environment.
        Environment.SetEnvironmentVariable("FUNCTIONS_APPLICATION_DIRECTORY", appDirectory);
        Environment.SetEnvironmentVariable("FUNCTIONS_WORKER_DIRECTORY", appDirectory);

        var host = await FunctionsLocalHost.StartAsync(new LocalHostOptions
        {
            AppDirectory = appDirectory,
            ListenUrl = "http://127.0.0.1:0",
            StartWorker = false,
            Settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                ["AzureWebJobsStorage"] = storage,
                ["ScanSchedule"] = "0 0 0 1 1 *", // no timer tick: the benchmark queues the detections itself
            },
            QueuePipelinePolicy = wire.PolicyFor(WireSource.Host),
            ConfigureLogging = l => l.SetMinimumLevel(LogLevel.Warning),
        }, ct);
        IHost? worker = null;
        try
        {
            worker = BuildWorker(host, appDirectory, wire);
            await worker.StartAsync(ct);
            using var ready = CancellationTokenSource.CreateLinkedTokenSource(ct);
            ready.CancelAfter(TimeSpan.FromSeconds(60));
            await host.WaitForWorkerAsync(ready.Token);
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            // The host publishes its HTTP routes just after the worker reports ready.
            while ((await http.GetAsync("/api/openapi.json", ready.Token)).StatusCode == HttpStatusCode.NotFound)
                await Task.Delay(20, ready.Token);
            return new PipelineApp(host, worker);
        }
        catch
        {
            await host.DisposeAsync();
            worker?.Dispose();
            throw;
        }
    }

    private static IHost BuildWorker(FunctionsLocalHost host, string appDirectory, WireLog wire)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        var configuration = new Dictionary<string, string?>(host.WorkerSettings, StringComparer.OrdinalIgnoreCase)
        {
            [CoachWorker.AppDirectorySetting] = appDirectory,
            // The switches the host starts a worker process with, as the configuration keys the worker maps them to.
            ["Functions:Worker:HostEndpoint"] = host.GrpcUri.ToString(),
            ["Functions:Worker:WorkerId"] = Guid.NewGuid().ToString(),
            ["Functions:Worker:RequestId"] = Guid.NewGuid().ToString(),
            ["Functions:Worker:GrpcMaxMessageLength"] = int.MaxValue.ToString(CultureInfo.InvariantCulture),
        };
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Not the console lifetime: it would take SIGTERM for the worker alone and leave this process running.
        builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        // Outermost: every storage request of an invocation, the app's own middleware included, is attributed to it.
        builder.UseMiddleware(async (FunctionContext context, Func<Task> next) =>
        {
            InvocationScope.Enter(context.FunctionDefinition.Name);
            await next();
        });
        builder.ConfigureFunctionsWebApplication();
        builder.AddCoachFunctions();
        // The app's clients, with the counting policy on every request (the same factory the app uses).
        builder.Services.RemoveAll<StorageClients>();
        builder.Services.AddSingleton(sp => StorageClients.FromConfiguration(sp.GetRequiredService<IConfiguration>(),
            HostJson.QueueEncoding(appDirectory), wire.PolicyFor(WireSource.Worker)));

        var httpPort = FreePort();
        builder.Services.Configure<KestrelServerOptions>(k => k.Listen(IPAddress.Loopback, httpPort));
        builder.Services.Configure<WorkerOptions>(o => o.Capabilities["HttpUri"] = $"http://127.0.0.1:{httpPort}/");
        return builder.Build();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try { await _worker.StopAsync(timeout.Token); } catch (OperationCanceledException) { }
        }
        _worker.Dispose();
        // An in-process worker never ends the host's gRPC stream by exiting: give the host's stop a short deadline.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        try { await _host.StopAsync(deadline.Token); } catch (OperationCanceledException) { }
        await _host.DisposeAsync();
    }
}

/// <summary>A host lifetime that handles no signals: the benchmark process ends as any console program does.</summary>
internal sealed class NoSignalsLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
