using CoachFunctions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// The real app on a real Kestrel port on loopback, against the shared Azurite: the local host
/// (timers, queue pollers, SignalR stand-in) or the Functions custom handler.
/// </summary>
public sealed class AppHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AppHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AppHost> StartLocalAsync(Azurite azurite, IDictionary<string, string?>? settings = null, int? port = null, TimeProvider? time = null)
    {
        var p = port ?? Azurite.FreePort();
        var config = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{p}",
            ["LocalHost:PublicUrl"] = $"http://127.0.0.1:{p}",
            [HostModes.PortSetting] = "",
        };
        return await StartAsync(azurite, p, config, settings, time);
    }

    public static async Task<AppHost> StartFunctionsAsync(Azurite azurite, IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var p = Azurite.FreePort();
        var config = new Dictionary<string, string?>
        {
            [HostModes.PortSetting] = p.ToString(),
            ["Auth:SigningKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 7 + 1)).ToArray()),
        };
        return await StartAsync(azurite, p, config, settings, time);
    }

    private static async Task<AppHost> StartAsync(Azurite azurite, int port, Dictionary<string, string?> config, IDictionary<string, string?>? settings, TimeProvider? time = null)
    {
        config["AzureWebJobsStorage"] = azurite.ConnectionString;
        config["ScanSchedule"] = "0 0 0 1 1 *"; // tests scan on demand; a timer tick mid-test would race them
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) config[k] = v;
        var app = CoachApp.Build(["--environment", "Development"], b =>
        {
            b.Configuration.AddInMemoryCollection(config);
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            if (time is not null) b.Services.AddSingleton(time);
        });
        await app.StartAsync();
        return new AppHost(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await _app.StopAsync(timeout.Token); } catch (OperationCanceledException) { }
        await _app.DisposeAsync();
    }
}
