using System.Net;
using CoachFunctions.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// The app's worker built in the test process exactly as Program.cs builds it (FunctionsApplication,
/// ASP.NET Core integration, <see cref="CoachWorker.AddCoachFunctions"/>), so a test can give it its
/// own clock and read its services. Started, it connects to a host's gRPC endpoint as the real
/// worker process does.
/// </summary>
public static class InProcessWorker
{
    /// <summary>
    /// Where the worker finds host.json and its function assembly: this test's output folder, which
    /// has CoachFunctions.dll and a copy of host.json. The ASP.NET Core integration reads it from the
    /// process environment (not configuration), so it is set for the process; every worker here
    /// uses the same value.
    /// </summary>
    public static string AppDirectory { get; } = UseAppDirectory(AppContext.BaseDirectory);

    public static IHost Build(IEnumerable<KeyValuePair<string, string?>> settings, Uri? grpcUri = null, TimeProvider? time = null)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings) configuration[key] = value;
        configuration[CoachWorker.AppDirectorySetting] = AppDirectory;
        if (grpcUri is not null) foreach (var (key, value) in HostSwitches(grpcUri)) configuration[key] = value;
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (time is not null) builder.Services.AddSingleton(time);
        builder.ConfigureFunctionsWebApplication();
        builder.AddCoachFunctions();

        // The ASP.NET Core integration picks its HTTP port once per process (a static), and tells the
        // host through the HttpUri capability; several workers in one test process need one each.
        var httpPort = Azurite.FreePort();
        builder.Services.Configure<KestrelServerOptions>(k => k.Listen(IPAddress.Loopback, httpPort));
        builder.Services.Configure<WorkerOptions>(o => o.Capabilities["HttpUri"] = $"http://127.0.0.1:{httpPort}/");
        return builder.Build();
    }

    /// <summary>
    /// The switches the Functions host starts a worker with (worker-host.md), as the configuration
    /// keys the worker maps them to. The worker reads them from the process's own command line
    /// (Environment.GetCommandLineArgs), which in a test is the test host's, so they go in as configuration.
    /// </summary>
    public static Dictionary<string, string?> HostSwitches(Uri grpcUri) => new()
    {
        ["Functions:Worker:HostEndpoint"] = grpcUri.ToString(),          // --functions-uri
        ["Functions:Worker:WorkerId"] = Guid.NewGuid().ToString(),       // --functions-worker-id
        ["Functions:Worker:RequestId"] = Guid.NewGuid().ToString(),      // --functions-request-id
        ["Functions:Worker:GrpcMaxMessageLength"] = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), // --functions-grpc-max-message-length
    };

    private static string UseAppDirectory(string directory)
    {
        Environment.SetEnvironmentVariable("FUNCTIONS_APPLICATION_DIRECTORY", directory);
        Environment.SetEnvironmentVariable("FUNCTIONS_WORKER_DIRECTORY", directory);
        return directory;
    }
}
