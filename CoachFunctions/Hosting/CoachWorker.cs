using Azure.Core.Serialization;
using CoachFunctions.Channels;
using CoachFunctions.Channels.WeCom;
using CoachFunctions.Coaching;
using CoachFunctions.Coaching.Generation;
using CoachFunctions.Coaching.Learning;
using CoachFunctions.Functions.DeliverPrompt;
using CoachFunctions.Functions.GeneratePrompt;
using CoachFunctions.Functions.ScanShard;
using CoachFunctions.Hosting.Auth;
using CoachFunctions.Hosting.Middleware;
using CoachFunctions.Hosting.RateLimiting;
using CoachFunctions.Llm;
using CoachFunctions.SignalR;
using CoachFunctions.Storage;
using CoachFunctions.Storage.Tables;
using CoachFunctions.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Azure.Functions.Worker.Invocation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CoachFunctions.Hosting;

/// <summary>
/// Everything the app registers in the worker: Program.cs calls it, and so do tests that run the
/// worker in their own process (with their own clock: <see cref="TimeProvider"/> is only added
/// when none is there yet). Bad settings fail here, at start-up, with a clear message.
/// </summary>
public static class CoachWorker
{
    /// <summary>The folder with host.json: the host says where the app is; in a test, the test's output folder has a copy.</summary>
    public const string AppDirectorySetting = "FUNCTIONS_APPLICATION_DIRECTORY";

    public static FunctionsApplicationBuilder AddCoachFunctions(this FunctionsApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var appDirectory = configuration[AppDirectorySetting] is { Length: > 0 } dir ? dir : AppContext.BaseDirectory;

        services.TryAddSingleton(TimeProvider.System);
        // The SDK's source-generated metadata provider and executor. The SDK also registers them
        // through start-up classes it finds in the entry assembly, which is this app under the
        // Functions host but the test host when a test runs the worker in its own process. Here they
        // are registered either way; under the real host that repeats the same types, harmlessly.
        services.AddSingleton<IFunctionMetadataProvider, GeneratedFunctionMetadataProvider>();
        services.AddSingleton<IFunctionExecutor, DirectFunctionExecutor>();
        // Queue payloads and outputs use the app's one JSON shape, like every other wire.
        services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(CoachJson.Options));
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => CoachJson.Configure(o.SerializerOptions));

        services.AddSingleton(_ => StorageClients.FromConfiguration(configuration, HostJson.QueueEncoding(appDirectory)));
        services.AddSingleton<StorageBootstrap>();
        services.AddSingleton<StorageHealth>();
        services.AddSingleton<UserSummaries>();
        services.AddSingleton<UserSnapshots>();
        services.AddSingleton<UserDataStore>();
        services.AddSingleton<PromptStore>();
        services.AddSingleton<IdempotencyRecords>();
        services.AddSingleton<WelcomeStore>();
        services.AddSingleton<CoachFunctions.Api.IdempotentRequests>();
        services.AddSingleton<DeliveryScheduler>();

        services.AddSingleton(CoachingEngine.Default);
        services.AddCoachGeneration(configuration);
        services.AddSingleton(sp => new CoachFunctions.Coaching.Welcome.WelcomeGenerator(sp.GetRequiredService<GenerationOptions>(), sp.GetService<IChatModel>()));
        // Seed 003: the LLM distils feedback when one is configured, counting otherwise (and as its fallback).
        services.AddSingleton<CountingStyleDistiller>();
        services.AddSingleton<IStyleDistiller>(sp => sp.GetService<IChatModel>() is { } model
            ? new LlmStyleDistiller(model, sp.GetRequiredService<CountingStyleDistiller>(), sp.GetRequiredService<GenerationOptions>().Timeout)
            : sp.GetRequiredService<CountingStyleDistiller>());
        services.AddSingleton<DetectionQueue>();
        services.AddSingleton<ShardScanner>();
        services.AddCoachTelemetry(configuration);
        services.AddCoachTelemetryExport(configuration);
        services.AddCoachSignalR(configuration);
        services.AddCoachWeCom(configuration);
        services.AddCoachChannels(configuration);

        services.AddSingleton(new AdminRole(services.AddUserTokenValidation(configuration)));
        services.AddSingleton(new RateLimits(RateLimits.Options(configuration)));
        services.AddSingleton<FunctionAccessCatalog>();
        // After the ASP.NET Core integration's own middleware, which gives HTTP invocations their HttpContext.
        builder.UseWhen<HttpPolicyMiddleware>(IsHttpFunction);
        return builder;
    }

    /// <summary>The SignalR Service endpoint and its REST client, when the settings name one.</summary>
    private static void AddCoachSignalR(this IServiceCollection services, IConfiguration configuration)
    {
        if (SignalRServiceEndpoint.FromConfiguration(configuration) is not { } endpoint) return;
        services.AddSingleton(endpoint);
        services.AddHttpClient(nameof(SignalRRestClient), http => http.Timeout = TimeSpan.FromSeconds(30))
            .AddTypedClient((http, sp) => new SignalRRestClient(http, sp.GetRequiredService<SignalRServiceEndpoint>(), TimeProvider.System));
        // Transient, as the typed client it holds.
        services.AddTransient<PromptPusher>();
    }

    /// <summary>
    /// The WeCom channel: its state, store and callback handling always (its functions answer 404
    /// while it is off); its sender only when the settings turn it on.
    /// </summary>
    private static void AddCoachWeCom(this IServiceCollection services, IConfiguration configuration)
    {
        var channel = new WeComChannel(WeComOptions.Read(configuration));
        services.AddSingleton(channel);
        services.AddSingleton(channel.Options);
        // No request logging: gettoken's query carries the secret and every call's the access token.
        services.AddHttpClient(WeComApiClient.HttpClientName, http =>
        {
            http.BaseAddress = new Uri(channel.Options.ApiBaseUrl.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(10);
        }).RemoveAllLoggers();
        services.AddSingleton<WeComAccessTokens>();
        services.AddSingleton<WeComApiClient>();
        services.AddSingleton<WeComStore>();
        services.AddSingleton<WeComInbox>();
        if (channel.IsConfigured) services.AddSingleton<IChannelSender, WeComSender>();
    }

    public static bool IsHttpFunction(FunctionContext context) =>
        context.FunctionDefinition.InputBindings.Values.Any(b => string.Equals(b.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase));
}
