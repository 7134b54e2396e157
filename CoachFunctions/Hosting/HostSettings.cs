using System.Text.Json;
using Azure.Storage.Queues;

namespace CoachFunctions.Hosting;

/// <summary>The parts of host.json this app reads: queue trigger semantics and message encoding.</summary>
public sealed record QueueTriggerSettings
{
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;
    public int BatchSize { get; init; } = 16;
    public int MaxDequeueCount { get; init; } = 5;
    public QueueMessageEncoding MessageEncoding { get; init; } = QueueMessageEncoding.Base64;

    public static QueueTriggerSettings Load(string hostJsonPath)
    {
        var settings = new QueueTriggerSettings();
        if (!File.Exists(hostJsonPath)) return settings;
        using var doc = JsonDocument.Parse(File.ReadAllText(hostJsonPath));
        if (!doc.RootElement.TryGetProperty("extensions", out var ext) || !ext.TryGetProperty("queues", out var q))
            return settings;
        return settings with
        {
            MaxPollingInterval = q.TryGetProperty("maxPollingInterval", out var p) ? TimeSpan.Parse(p.GetString()!) : settings.MaxPollingInterval,
            VisibilityTimeout = q.TryGetProperty("visibilityTimeout", out var v) ? TimeSpan.Parse(v.GetString()!) : settings.VisibilityTimeout,
            BatchSize = q.TryGetProperty("batchSize", out var b) ? Math.Clamp(b.GetInt32(), 1, 32) : settings.BatchSize,
            MaxDequeueCount = q.TryGetProperty("maxDequeueCount", out var m) ? m.GetInt32() : settings.MaxDequeueCount,
            MessageEncoding = q.TryGetProperty("messageEncoding", out var e) && string.Equals(e.GetString(), "none", StringComparison.OrdinalIgnoreCase)
                ? QueueMessageEncoding.None
                : QueueMessageEncoding.Base64,
        };
    }
}
