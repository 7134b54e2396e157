using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace CoachFunctions.Telemetry;

/// <summary>
/// Export to Application Insights through OpenTelemetry: the worker's logs, its traces (the Functions
/// worker's invocation activities) and the <see cref="CoachMetrics.MeterName"/> meter. On only when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (the setting the Functions host reads too);
/// off otherwise, so local runs and tests export nothing.
/// </summary>
/// <remarks>
/// With <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> = <c>Authorization=AAD;ClientId=...</c> (the
/// host's format) the exporter authenticates with that managed identity (it needs <i>Monitoring
/// Metrics Publisher</i>), so the resource can refuse instrumentation-key-only ingestion. The
/// exporter does not read that setting itself: it is parsed here.
/// </remarks>
public static class TelemetryExport
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Registers the OpenTelemetry SDK with the Azure Monitor exporter when the connection string is set; answers whether it did.</summary>
    public static bool AddCoachTelemetryExport(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[ConnectionStringSetting] is not { } connectionString || string.IsNullOrWhiteSpace(connectionString)) return false;
        var credential = Credential(configuration[AuthenticationStringSetting]);
        services.AddOpenTelemetry()
            // Resource attributes of the function app, the worker's invocation activities, and the
            // capability that tells the host the worker exports its own telemetry (no duplicates).
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(CoachMetrics.MeterName))
            // Logs, traces and metrics, all three.
            .UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString.Trim();
                if (credential is not null) options.Credential = credential;
                // Only the ingestion endpoint: no second channel to the Live Metrics service, whose
                // polling would run on every instance whether anyone watches or not.
                options.EnableLiveMetrics = false;
            });
        return true;
    }

    /// <summary>
    /// The identity named by an authentication string in the Functions host's format:
    /// <c>Authorization=AAD;ClientId=...</c> for a user-assigned identity, <c>Authorization=AAD</c> for
    /// the system-assigned one; null when the string is empty (instrumentation-key ingestion).
    /// </summary>
    public static TokenCredential? Credential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString)) return null;
        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"{AuthenticationStringSetting} must be 'Authorization=AAD' or 'Authorization=AAD;ClientId=<client id>'.");
        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
