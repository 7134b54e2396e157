using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost;

/// <summary>What the local host runs and where it listens.</summary>
public sealed class LocalHostOptions
{
    /// <summary>The function app folder: the worker's entry assembly (named by worker.config.json, else CoachFunctions.dll) and host.json.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>The front door (HTTP functions, SignalR stand-in, static files). Tests pass http://127.0.0.1:{freePort}.</summary>
    public string ListenUrl { get; init; } = "http://localhost:7071";

    /// <summary>App settings with ':' or '__' keys; they override local.settings.json and environment variables. A null value removes a setting.</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>False: do not start the worker process; wait for an external worker to connect to <see cref="FunctionsLocalHost.GrpcUri"/>.</summary>
    public bool StartWorker { get; init; } = true;

    /// <summary>Static files served at '/'. Null: &lt;repo&gt;/web/dist when it exists.</summary>
    public string? WebRoot { get; init; }

    /// <summary>local.settings.json to read; null: the one in <see cref="AppDirectory"/>, if any.</summary>
    public string? SettingsFile { get; init; }

    /// <summary>Allowed CORS origins, comma-separated (as <c>func start --cors</c>); null: local.settings.json's <c>Host.CORS</c>; empty: none.</summary>
    public string? Cors { get; init; }

    /// <summary>Whether CORS allows credentials (<c>func start --cors-credentials</c>); null: local.settings.json's <c>Host.CORSCredentials</c>, else false.</summary>
    public bool? CorsCredentials { get; init; }

    public string EnvironmentName { get; init; } = "Development";

    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>
    /// An extra Azure.Core policy run on every request attempt of the host's own queue clients (trigger
    /// polls, deletes, lease renewals, queue outputs, poison moves): for example one that counts them.
    /// </summary>
    public HttpPipelinePolicy? QueuePipelinePolicy { get; init; }
}
