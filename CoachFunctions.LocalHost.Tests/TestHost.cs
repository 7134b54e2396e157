using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Tests;

/// <summary>A local host on free loopback ports, without a worker process, over a temporary app folder.</summary>
internal static class TestHost
{
    public static async Task<FunctionsLocalHost> StartAsync(IDictionary<string, string?>? settings = null, string hostJson = """{ "version": "2.0" }""",
        string? localSettingsJson = null, string? cors = null, bool? corsCredentials = null)
    {
        var app = Directory.CreateTempSubdirectory("localhost-tests-").FullName;
        await File.WriteAllTextAsync(Path.Combine(app, "host.json"), hostJson);
        if (localSettingsJson is not null) await File.WriteAllTextAsync(Path.Combine(app, "local.settings.json"), localSettingsJson);
        return await FunctionsLocalHost.StartAsync(new LocalHostOptions
        {
            AppDirectory = app,
            ListenUrl = "http://127.0.0.1:0",
            StartWorker = false,
            Settings = settings ?? new Dictionary<string, string?>(),
            WebRoot = null,
            Cors = cors,
            CorsCredentials = corsCredentials,
            ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Warning),
        });
    }

    public static (string Endpoint, string AccessKey) SignalR(FunctionsLocalHost host)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = host.WorkerSettings["AzureSignalRConnectionString"] };
        return ((string)parts["Endpoint"], (string)parts["AccessKey"]);
    }
}
