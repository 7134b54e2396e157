namespace CoachFunctions.LocalHost.Settings;

/// <summary>host.json <c>extensions.queues</c>, with the Functions host's defaults.</summary>
internal sealed record QueuesHostOptions
{
    public int BatchSize { get; init; } = 16;

    /// <summary>A new batch is fetched when no more than this many messages are in flight (default batchSize / 2 on one instance).</summary>
    public int NewBatchThreshold { get; init; } = 8;

    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>How long a failed message stays invisible before it is retried.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;

    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>True: message bodies are base64 on the wire (the default); false: "none".</summary>
    public bool Base64 { get; init; } = true;
}
