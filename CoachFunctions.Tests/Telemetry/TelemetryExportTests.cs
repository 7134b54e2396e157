using Azure.Monitor.OpenTelemetry.Exporter;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using Azure.Identity;
using CoachFunctions.Coaching;
using CoachFunctions.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using System.Diagnostics.Metrics;

namespace CoachFunctions.Tests.Telemetry;

/// <summary>
/// OpenTelemetry export to Application Insights: off without APPLICATIONINSIGHTS_CONNECTION_STRING;
/// with it, logs, the worker's traces and the CoachFunctions meter reach the ingestion endpoint the
/// connection string names (here a fake on loopback), through the real Azure Monitor exporter.
/// </summary>
public sealed class TelemetryExportTests : IAsyncLifetime
{
    static TelemetryExportTests()
    {
        // The exporter's own usage telemetry (statsbeat, SDK stats) goes to Microsoft's endpoints and
        // asks the VM metadata service: nothing but loopback is reachable or to be called from here.
        foreach (var name in new[] { "APPLICATIONINSIGHTS_STATSBEAT_DISABLED", "APPLICATIONINSIGHTS_SDKSTATS_DISABLED", "APPLICATIONINSIGHTS_SDKSTATS_DISABLED_ALL" })
            Environment.SetEnvironmentVariable(name, "true");
    }

    private WebApplication _ingestion = null!;
    private readonly ConcurrentQueue<(string Path, string Body)> _received = new();
    private Uri _endpoint = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _ingestion = builder.Build();
        _ingestion.MapPost("/{**path}", async (HttpContext http) =>
        {
            Stream body = http.Request.Body;
            if (http.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
                body = new GZipStream(body, CompressionMode.Decompress);
            using var reader = new StreamReader(body);
            _received.Enqueue((http.Request.Path.Value!, await reader.ReadToEndAsync()));
            // What the Track API answers when it accepts every item.
            return Results.Json(new { itemsReceived = 1, itemsAccepted = 1, errors = Array.Empty<object>() });
        });
        await _ingestion.StartAsync();
        _endpoint = new Uri(_ingestion.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    public async Task DisposeAsync() => await _ingestion.DisposeAsync();

    private static IConfiguration Settings(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Without_a_connection_string_nothing_is_registered(string? connectionString)
    {
        var services = new ServiceCollection();
        Assert.False(services.AddCoachTelemetryExport(Settings((TelemetryExport.ConnectionStringSetting, connectionString))));
        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<MeterProvider>());
        Assert.Null(provider.GetService<TracerProvider>());
    }

    [Fact]
    public async Task Logs_traces_and_the_coach_meter_reach_the_ingestion_endpoint()
    {
        // LiveEndpoint too: were live metrics on, they would go to the fake as well, never out.
        var connectionString = $"InstrumentationKey=00000000-0000-0000-0000-0000000c0ac4;IngestionEndpoint={_endpoint};LiveEndpoint={_endpoint}";
        var settings = Settings((TelemetryExport.ConnectionStringSetting, connectionString));
        var services = new ServiceCollection().AddLogging().AddMetrics().AddSingleton(settings);
        Assert.True(services.AddCoachTelemetryExport(settings));
        // The exporter samples traces at 5 a second by default, and its listener hears every
        // "Microsoft.Azure.Functions.Worker" activity in this process, other tests' workers' too:
        // sampling is not what this test checks, so it keeps every trace.
        services.PostConfigure<AzureMonitorExporterOptions>(o => { o.TracesPerSecond = null; o.SamplingRatio = 1.0F; });
        await using var provider = services.BuildServiceProvider();
        // As the worker's host does at start: the exporter adds its trace and log exporters in a hosted service.
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted) await service.StartAsync(CancellationToken.None);
        var meters = provider.GetRequiredService<MeterProvider>();
        var tracers = provider.GetRequiredService<TracerProvider>();
        var loggers = provider.GetRequiredService<LoggerProvider>();

        var marker = Guid.NewGuid().ToString("N");
        var metrics = new CoachMetrics(provider.GetRequiredService<IMeterFactory>(), new StatsAggregator(TimeProvider.System, "export-test"));
        metrics.PromptGenerated("habit_missed", Priority.High, "template");
        using (var source = new ActivitySource("Microsoft.Azure.Functions.Worker"))
        using (var activity = source.StartActivity("Invoke ScanShard " + marker, ActivityKind.Internal))
            Assert.NotNull(activity); // the tracer provider listens to the worker's source
        provider.GetRequiredService<ILoggerFactory>().CreateLogger("CoachFunctions.ExportTest").LogWarning("export check {Marker}", marker);

        Assert.True(meters.ForceFlush(10_000));
        Assert.True(tracers.ForceFlush(10_000));
        Assert.True(loggers.ForceFlush(10_000));

        var bodies = string.Join("\n", _received.Select(r => r.Body));
        Assert.All(_received, r => Assert.EndsWith("/track", r.Path));
        Assert.Contains("coach.prompts.generated", bodies);                 // the meter
        Assert.Contains("Invoke ScanShard " + marker, bodies);              // the worker's trace
        Assert.Contains("export check " + marker, bodies);                  // the log
        Assert.Contains("00000000-0000-0000-0000-0000000c0ac4", bodies);     // the resource's key names the data, nothing more
        foreach (var service in hosted) await service.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("Authorization=AAD;ClientId=4b1c7c2e-91a6-4ad5-8f5e-2b1d2c0c0de1")]
    [InlineData("ClientId=4b1c7c2e-91a6-4ad5-8f5e-2b1d2c0c0de1;Authorization=AAD")]
    [InlineData("Authorization=AAD")]
    [InlineData(" authorization = aad ; clientid = 4b1c7c2e-91a6-4ad5-8f5e-2b1d2c0c0de1 ")]
    public void The_authentication_string_names_a_managed_identity(string authentication) =>
        Assert.IsType<ManagedIdentityCredential>(TelemetryExport.Credential(authentication));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_authentication_string_means_no_credential(string? authentication) =>
        Assert.Null(TelemetryExport.Credential(authentication));

    [Theory]
    [InlineData("ClientId=4b1c7c2e-91a6-4ad5-8f5e-2b1d2c0c0de1")]
    [InlineData("Authorization=Key")]
    public void Another_authentication_string_stops_start_up_naming_the_setting(string authentication)
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddCoachTelemetryExport(Settings(
            (TelemetryExport.ConnectionStringSetting, "InstrumentationKey=00000000-0000-0000-0000-0000000c0ac4;IngestionEndpoint=http://127.0.0.1:9/"),
            (TelemetryExport.AuthenticationStringSetting, authentication))));
        Assert.Contains(TelemetryExport.AuthenticationStringSetting, e.Message);
    }
}
