using System.Security.Cryptography;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Coaching.Learning;
using CoachFunctions.Functions;
using CoachFunctions.Functions.DeliverPrompt;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.Functions.OpenApi;
using CoachFunctions.Functions.ScanShard;
using CoachFunctions.Functions.ScanUsers;
using CoachFunctions.Hosting.Auth;
using CoachFunctions.Hosting.Local;
using CoachFunctions.Hosting.RateLimiting;
using CoachFunctions.Hosting.SignalR;
using CoachFunctions.Llm;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CoachFunctions.Hosting;

/// <summary>Builds the app for either host. Tests build it the same way, on loopback ports.</summary>
public static class CoachApp
{
    /// <summary>Local defaults, the lowest-priority settings: environment and command line override them.</summary>
    private static readonly Dictionary<string, string?> LocalDefaults = new()
    {
        [StorageClients.SettingName] = "UseDevelopmentStorage=true",
        ["ScanSchedule"] = "0 */5 * * * *",
    };

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = LocalDefaults });
        configure?.Invoke(builder);

        var mode = HostModes.From(builder.Configuration);
        if (mode == HostMode.Functions)
            builder.WebHost.UseUrls($"http://127.0.0.1:{builder.Configuration[HostModes.PortSetting]}");
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls($"http://localhost:{HostModes.LocalPort}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);

        AddServices(builder, mode);
        var app = builder.Build();
        MapEndpoints(app, mode);
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder, HostMode mode)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var appRoot = AppContext.BaseDirectory;

        // Tests supply their own clock before this runs.
        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => CoachJson.Configure(o.SerializerOptions));
        services.AddSingleton(FunctionCatalog.Load(appRoot));
        var queueSettings = QueueTriggerSettings.Load(Path.Combine(appRoot, "host.json"));
        services.AddSingleton(queueSettings);
        services.AddSingleton(_ => StorageClients.FromConfiguration(configuration, queueSettings));
        services.AddSingleton<StorageBootstrap>();
        services.AddSingleton<UserSummaries>();
        services.AddSingleton<UserSnapshots>();
        services.AddSingleton<UserDataStore>();
        services.AddSingleton<PromptStore>();
        services.AddSingleton<DeliveryScheduler>();

        services.AddSingleton(CoachingEngine.Default);
        services.AddCoachGeneration(configuration);
        // Seed 003: the LLM distils feedback when one is configured, counting otherwise (and as its fallback).
        services.AddSingleton<CountingStyleDistiller>();
        services.AddSingleton<IStyleDistiller>(sp => sp.GetService<IChatModel>() is { } model
            ? new LlmStyleDistiller(model, sp.GetRequiredService<CountingStyleDistiller>(), sp.GetRequiredService<GenerationOptions>().Timeout)
            : sp.GetRequiredService<CountingStyleDistiller>());
        services.AddSingleton<ShardScanner>();
        services.AddSingleton<IFunction, ScanUsersFunction>();
        services.AddSingleton<IFunction, ScanShardFunction>();
        services.AddSingleton<IFunction, GeneratePromptFunction>();
        services.AddSingleton<IFunction, DeliverPromptFunction>();
        services.AddSingleton<FunctionInvoker>();
        services.AddCoachTelemetry(configuration);
        services.AddCoachRateLimits(configuration);
        services.AddCoachOpenApi();

        var localDevelopment = mode == HostMode.Local && builder.Environment.IsDevelopment();
        var adminRole = services.AddUserTokenValidation(configuration, localDevelopment);

        var auth = services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(BearerAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build())
            .AddPolicy(AuthPolicies.Admin, p => p.AddAuthenticationSchemes(BearerAuthenticationHandler.SchemeName).RequireAuthenticatedUser().RequireRole(adminRole))
            .AddPolicy(ServiceTokenAuthenticationHandler.SchemeName, p => p.AddAuthenticationSchemes(ServiceTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser());

        var signalR = configuration[SignalRServiceEndpoint.SettingName];
        if (string.IsNullOrEmpty(signalR) && mode == HostMode.Local)
        {
            // The stand-in hub is this process: a fresh key each run, tokens minted and checked here.
            var publicUrl = configuration["LocalHost:PublicUrl"] ?? FirstUrl(configuration["urls"]) ?? $"http://localhost:{HostModes.LocalPort}";
            signalR = $"Endpoint={publicUrl};AccessKey={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))};Version=1.0;";
        }
        if (!string.IsNullOrEmpty(signalR)) services.AddSingleton(new SignalRServiceEndpoint(signalR));

        if (mode == HostMode.Local)
        {
            auth.AddScheme<AuthenticationSchemeOptions, ServiceTokenAuthenticationHandler>(ServiceTokenAuthenticationHandler.SchemeName, null);
            services.AddSignalR().AddJsonProtocol(o => CoachJson.Configure(o.PayloadSerializerOptions));
            services.AddSingleton<IUserIdProvider, ServiceTokenUserIdProvider>();
            services.AddSingleton<OutputBinder>();
            services.AddHostedService<TimerTriggerService>();
            services.AddHostedService<QueueTriggerService>();
        }
    }

    private static void MapEndpoints(WebApplication app, HostMode mode)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (mode == HostMode.Local)
        {
            app.UseDefaultFiles();
            app.UseStaticFiles();
            app.UseWebSockets();
        }
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // after authentication: limits are per token subject

        app.MapHttpFunctions();
        if (mode == HostMode.Functions)
        {
            app.MapCustomHandler();
        }
        else
        {
            app.MapHub<CoachingHub>("/client").RequireAuthorization(ServiceTokenAuthenticationHandler.SchemeName);
            if (app.Environment.IsDevelopment()) app.MapDevToken();
        }
    }

    private static string? FirstUrl(string? urls) =>
        urls?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Replace("://+", "://localhost").Replace("://*", "://localhost");
}
