using System.Net;
using CoachFunctions.LocalHost.DevAuth;
using CoachFunctions.LocalHost.Functions;
using CoachFunctions.LocalHost.Http;
using CoachFunctions.LocalHost.Queues;
using CoachFunctions.LocalHost.Settings;
using CoachFunctions.LocalHost.SignalR;
using CoachFunctions.LocalHost.Timers;
using CoachFunctions.LocalHost.Workers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost;

/// <summary>
/// The local stand-in for the Azure Functions host and Azure SignalR Service: it drives the real
/// isolated worker over the worker protocol, provides its triggers and outputs, and serves the front
/// door (HTTP functions, the SignalR client endpoint and REST API, development sign-in, static files).
/// </summary>
public sealed class FunctionsLocalHost : IAsyncDisposable
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(2);

    private readonly WebApplication _app;
    private readonly WorkerSlot _slot;
    private readonly FunctionCatalog _catalog;
    private readonly WorkerSupervisor? _supervisor;
    private int _stopped;

    private FunctionsLocalHost(WebApplication app, Uri baseAddress, Uri grpcUri, IReadOnlyDictionary<string, string?> workerSettings)
    {
        _app = app;
        BaseAddress = baseAddress;
        GrpcUri = grpcUri;
        WorkerSettings = workerSettings;
        _slot = app.Services.GetRequiredService<WorkerSlot>();
        _catalog = app.Services.GetRequiredService<FunctionCatalog>();
        _supervisor = app.Services.GetService<WorkerSupervisor>();
    }

    /// <summary>The front door.</summary>
    public Uri BaseAddress { get; }

    /// <summary>What an external worker connects to (--functions-uri).</summary>
    public Uri GrpcUri { get; }

    /// <summary>Every setting the worker must get (':' keys), including AzureSignalRConnectionString and Auth:SigningKey.</summary>
    public IReadOnlyDictionary<string, string?> WorkerSettings { get; }

    public IReadOnlyList<string> FunctionNames => _catalog.All.Select(f => f.Name).Order(StringComparer.Ordinal).ToList();

    /// <summary>The worker process this host started; null for an external worker (or between restarts).</summary>
    public int? WorkerProcessId => _supervisor?.ProcessId;

    /// <summary>Returns once listening; with StartWorker, after the worker's functions are loaded.</summary>
    public static async Task<FunctionsLocalHost> StartAsync(LocalHostOptions options, CancellationToken cancellationToken = default)
    {
        var app = AppLocation.Find(options.AppDirectory, requireEntryPoint: options.StartWorker);
        var settings = AppSettingsLoader.Load(options);
        var host = HostJson.Load(app.Directory);
        var cors = HostCors.Load(options);

        var listen = new Uri(options.ListenUrl);
        var frontPort = listen.Port == 0 ? FreePort.Next() : listen.Port;
        var baseAddress = new UriBuilder(listen) { Port = frontPort, Path = "/" }.Uri;
        var grpcPort = FreePort.Next();
        var grpcUri = new Uri($"http://127.0.0.1:{grpcPort}/");

        var signalR = SignalRServiceSettings.Create(settings, baseAddress);
        if (signalR.UsedByApp) settings.Set(SignalRServiceSettings.SettingName, signalR.ConnectionString);
        var devTokens = new DevTokenIssuer(settings, TimeProvider.System); // sets Auth:SigningKey when it generates one

        var workerSettings = settings.Values.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        var launch = new WorkerLaunch(app, grpcUri, options.EnvironmentName, workerSettings);
        var exposed = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in WorkerLaunch.Environment(app.Directory, options.EnvironmentName, workerSettings)) exposed[AppSettings.Normalize(key)] = value;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = options.EnvironmentName,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(FunctionsLocalHost).Assembly.GetName().Name,
        });
        ConfigureLogging(builder.Logging, host, options);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            FrontDoorLimits.ConfigureKestrel(kestrel.Limits);
            kestrel.Listen(IPAddress.Loopback, grpcPort, l => l.Protocols = HttpProtocols.Http2);
            if (listen.IsLoopback && listen.Host == "localhost") kestrel.ListenLocalhost(frontPort, l => l.Protocols = HttpProtocols.Http1);
            else if (IPAddress.TryParse(listen.Host, out var ip)) kestrel.Listen(ip, frontPort, l => l.Protocols = HttpProtocols.Http1);
            else kestrel.ListenAnyIP(frontPort, l => l.Protocols = HttpProtocols.Http1);
        });

        var services = builder.Services;
        services.AddSingleton<IHostLifetime, NullHostLifetime>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton(host);
        services.AddSingleton(app);
        services.AddSingleton(launch);
        services.AddSingleton(signalR);
        services.AddSingleton(devTokens);
        services.AddSingleton<FunctionCatalog>();
        services.AddSingleton<WorkerLogWriter>();
        services.AddSingleton<WorkerSlot>();
        services.AddSingleton<FunctionInvoker>();
        services.AddSingleton(_ => new QueueClientFactory(settings, host, options.QueuePipelinePolicy));
        services.AddSingleton<QueuePollingSignal>();
        services.AddSingleton<QueueOutputWriter>();
        services.AddSingleton(_ => HttpForwarder.CreateClient());
        services.AddSingleton<HttpForwarder>();
        services.AddSingleton<HttpFunctionEndpoints>();
        services.AddSingleton(sp => new ScheduleStatusStore(Path.Combine(app.Directory, ".localhost", "timers"), sp.GetRequiredService<ILogger<ScheduleStatusStore>>()));
        services.AddSingleton<ServiceTokens>();
        services.AddSingleton<ClientConnections>();
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = null;
            o.MaxSendMessageSize = null;
        });
        services.AddSignalR();
        services.RemoveAll<IHubProtocol>();
        services.AddSingleton<IHubProtocol, ServerlessHubProtocol>();
        services.AddSingleton<IUserIdProvider, ClientUserIdProvider>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ClientTokenAuthenticationHandler>(ClientTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddProblemDetails();
        if (cors.Enabled) services.AddCors();
        if (options.StartWorker)
        {
            services.AddSingleton<WorkerSupervisor>();
            services.AddHostedService(sp => sp.GetRequiredService<WorkerSupervisor>());
        }
        // Registered after the supervisor so that it stops first: polling ends and invocations drain while the worker still runs.
        services.AddSingleton<TriggerService>();
        services.AddHostedService(sp => sp.GetRequiredService<TriggerService>());

        var web = builder.Build();
        web.UseMiddleware<FrontDoorLimits>(grpcPort);
        // As func start: the listed origins, any header and method, on everything the front door serves
        // (HTTP functions, the SignalR client endpoint, static files); preflights end here.
        if (cors.Enabled)
        {
            web.UseCors(policy =>
            {
                policy.WithOrigins([.. cors.Origins]).AllowAnyHeader().AllowAnyMethod();
                if (cors.Credentials) policy.AllowCredentials();
            });
        }
        web.UseStatusCodePages();
        if (WebRoot(options) is { } webRoot)
        {
            var files = new PhysicalFileProvider(webRoot);
            web.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            web.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }
        web.UseRouting();
        web.UseWebSockets();
        web.UseAuthorization();

        web.MapGrpcService<FunctionRpcService>().RequireHost($"*:{grpcPort}");
        web.MapHub<ClientHub>(ClientHub.Path);
        web.MapSignalRServiceRest();
        if (web.Environment.IsDevelopment()) web.MapDevToken();
        ((IEndpointRouteBuilder)web).DataSources.Add(web.Services.GetRequiredService<HttpFunctionEndpoints>());
        web.MapFallback(context => Problems.WriteAsync(context, StatusCodes.Status404NotFound, "No function or resource at this address"));

        var started = new FunctionsLocalHost(web, baseAddress, grpcUri, exposed);
        try
        {
            await web.StartAsync(cancellationToken);
            if (options.StartWorker)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(StartupTimeout);
                try
                {
                    await started.WaitForWorkerAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"The worker did not load its functions within {StartupTimeout.TotalSeconds:0} s; see the log.");
                }
            }
            started.LogFunctions();
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes when a worker is connected with its functions loaded (after a restart too).</summary>
    public async Task WaitForWorkerAsync(CancellationToken cancellationToken = default) => await _slot.WaitReadyAsync(cancellationToken);

    /// <summary>
    /// Stops in the host's order: triggers stop polling and running invocations drain, then the
    /// worker is asked to terminate (and killed after the grace period), then the server stops.
    /// The web host alone would stop the server first and wait for the worker's stream to end.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await _app.Services.GetRequiredService<TriggerService>().StopAsync(cancellationToken);
        if (_supervisor is not null)
        {
            await _supervisor.StopAsync(cancellationToken);
        }
        else if (_slot.Current is { } external)
        {
            external.Terminate(WorkerSupervisor.TerminateGrace);
            await Task.WhenAny(external.Completion, Task.Delay(WorkerSupervisor.TerminateGrace, cancellationToken)).ContinueWith(_ => { }, TaskScheduler.Default);
            external.Close();
        }
        await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Completes when Stop was requested through the application lifetime.</summary>
    internal Task StoppingAsync() => Task.Delay(Timeout.Infinite, _app.Lifetime.ApplicationStopping).ContinueWith(_ => { }, TaskScheduler.Default);

    private void LogFunctions()
    {
        var logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Host");
        var host = _app.Services.GetRequiredService<HostJson>();
        foreach (var function in _catalog.All.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var trigger = function.Trigger;
            var description = trigger switch
            {
                null => "no trigger",
                _ when trigger.Is("httpTrigger") => $"[{string.Join(",", trigger.Methods ?? ["ALL"])}] {new Uri(BaseAddress, HttpFunctionEndpoints.Pattern(host.RoutePrefix, function, trigger).RawText)}",
                _ when trigger.Is("queueTrigger") => $"queueTrigger ({trigger.Property("queueName")})",
                _ when trigger.Is("timerTrigger") => $"timerTrigger ({trigger.Property("schedule")})",
                _ => trigger.Type,
            };
            logger.LogInformation("  {Function}: {Description}", function.Name, description);
        }
    }

    private static string? WebRoot(LocalHostOptions options)
    {
        if (options.WebRoot is not null) return Directory.Exists(options.WebRoot) ? Path.GetFullPath(options.WebRoot) : throw new DirectoryNotFoundException($"The web root '{options.WebRoot}' does not exist.");
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CoachFunctions.sln")))
            {
                var dist = Path.Combine(directory.FullName, "web", "dist");
                return Directory.Exists(dist) ? dist : null;
            }
        }
        return null;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, HostJson host, LocalHostOptions options)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
            console.UseUtcTimestamp = false;
        });
        logging.SetMinimumLevel(LogLevel.Information);
        // ASP.NET Core's own per-request lines are noise here; the host logs each invocation instead.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Grpc", LogLevel.Warning);
        foreach (var (category, level) in host.LogLevels)
        {
            if (category.Equals("default", StringComparison.OrdinalIgnoreCase)) logging.SetMinimumLevel(level);
            else logging.AddFilter(category, level);
        }
        options.ConfigureLogging?.Invoke(logging);
    }
}
