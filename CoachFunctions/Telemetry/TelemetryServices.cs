using CoachFunctions.Storage;

namespace CoachFunctions.Telemetry;

public static class TelemetryServices
{
    /// <summary>The meter, this process's stats aggregate, the CoachStats store and the flush service.</summary>
    public static IServiceCollection AddCoachTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(StatsOptions.Section).Get<StatsOptions>() ?? new StatsOptions();
        services.AddSingleton(options);
        services.AddMetrics();
        services.AddSingleton(sp => new StatsAggregator(sp.GetRequiredService<TimeProvider>(), options.InstanceId ?? StatsAggregator.NewInstanceId()));
        services.AddSingleton<CoachMetrics>();
        services.AddSingleton(sp => new StatsStore(sp.GetRequiredService<StorageClients>(), options.TableName));
        services.AddSingleton<StatsFlusher>();
        services.AddHostedService<StatsFlushService>();
        return services;
    }
}
