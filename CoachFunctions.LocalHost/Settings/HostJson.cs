using System.Globalization;
using System.Text.Json;

namespace CoachFunctions.LocalHost.Settings;

/// <summary>The parts of host.json the local host honours: the HTTP route prefix and the queue options.</summary>
internal sealed record HostJson(string RoutePrefix, QueuesHostOptions Queues)
{
    public static HostJson Default { get; } = new("api", new QueuesHostOptions());

    /// <summary>host.json logging.logLevel: "default" and categories such as "Function.Name" or "Host.Triggers".</summary>
    public IReadOnlyDictionary<string, Microsoft.Extensions.Logging.LogLevel> LogLevels { get; init; } = new Dictionary<string, Microsoft.Extensions.Logging.LogLevel>();

    public static HostJson Load(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "host.json");
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : Default;
    }

    public static HostJson Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var extensions = Property(document.RootElement, "extensions");

        var routePrefix = "api";
        if (Property(extensions, "http") is { } http && Property(http, "routePrefix") is { ValueKind: JsonValueKind.String } prefix)
            routePrefix = prefix.GetString()!.Trim('/');

        var queues = new QueuesHostOptions();
        if (Property(extensions, "queues") is { } q)
        {
            var batchSize = Int(q, "batchSize") ?? queues.BatchSize;
            if (batchSize is < 1 or > 32) throw new InvalidOperationException("host.json extensions.queues.batchSize must be between 1 and 32.");
            var maxPolling = Duration(q, "maxPollingInterval") ?? queues.MaxPollingInterval;
            if (maxPolling < TimeSpan.FromMilliseconds(100)) throw new InvalidOperationException("host.json extensions.queues.maxPollingInterval must be at least 100 ms.");
            var encoding = Property(q, "messageEncoding") is { ValueKind: JsonValueKind.String } e ? e.GetString()! : "base64";
            queues = new QueuesHostOptions
            {
                BatchSize = batchSize,
                NewBatchThreshold = Int(q, "newBatchThreshold") ?? batchSize / 2,
                MaxDequeueCount = Int(q, "maxDequeueCount") ?? queues.MaxDequeueCount,
                VisibilityTimeout = Duration(q, "visibilityTimeout") ?? queues.VisibilityTimeout,
                MaxPollingInterval = maxPolling,
                Base64 = encoding.ToLowerInvariant() switch
                {
                    "base64" => true,
                    "none" => false,
                    _ => throw new InvalidOperationException($"host.json extensions.queues.messageEncoding '{encoding}' is neither 'base64' nor 'none'."),
                },
            };
        }
        var levels = new Dictionary<string, Microsoft.Extensions.Logging.LogLevel>(StringComparer.OrdinalIgnoreCase);
        if (Property(Property(document.RootElement, "logging"), "logLevel") is { ValueKind: JsonValueKind.Object } logLevel)
        {
            foreach (var level in logLevel.EnumerateObject())
            {
                if (level.Value.ValueKind == JsonValueKind.String && Enum.TryParse<Microsoft.Extensions.Logging.LogLevel>(level.Value.GetString(), ignoreCase: true, out var parsed))
                    levels[level.Name] = parsed;
            }
        }
        return new HostJson(routePrefix, queues) { LogLevels = levels };
    }

    private static JsonElement? Property(JsonElement? element, string name)
    {
        if (element is not { ValueKind: JsonValueKind.Object } value) return null;
        foreach (var property in value.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
        }
        return null;
    }

    private static int? Int(JsonElement element, string name) => Property(element, name) switch
    {
        { ValueKind: JsonValueKind.Number } n => n.GetInt32(),
        { ValueKind: JsonValueKind.String } s => int.Parse(s.GetString()!, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static TimeSpan? Duration(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } s ? TimeSpan.Parse(s.GetString()!, CultureInfo.InvariantCulture) : null;
}
