using Azure.Core;

namespace CoachFunctions.Storage;

/// <summary>
/// Options for <see cref="TableClient"/> and <see cref="QueueClient"/>. Retries, logging and the
/// transport come from <see cref="ClientOptions"/>, as in the official Azure SDK clients.
/// </summary>
public class StorageClientOptions : ClientOptions
{
    /// <summary>
    /// Table service version sent when <see cref="ServiceVersion"/> is null: the one the official
    /// Azure.Data.Tables client speaks, so payloads and behaviour match it.
    /// </summary>
    public const string DefaultTableServiceVersion = "2019-02-02";

    /// <summary>
    /// Queue service version sent when <see cref="ServiceVersion"/> is null: recent enough for
    /// every operation used here, old enough for Azurite 3.2x+ to accept without --skipApiVersionCheck.
    /// </summary>
    public const string DefaultQueueServiceVersion = "2021-12-02";

    public StorageClientOptions()
    {
        // Let Azure.Core's request logging show the storage correlation headers and harmless query parameters.
        foreach (var header in new[] { "x-ms-version", "x-ms-date", "x-ms-request-id", "x-ms-client-request-id", "x-ms-error-code",
                     "x-ms-continuation-NextPartitionKey", "x-ms-continuation-NextRowKey", "x-ms-approximate-messages-count",
                     "x-ms-time-next-visible", "DataServiceVersion", "Prefer", "ETag", "If-Match" })
            Diagnostics.LoggedHeaderNames.Add(header);
        foreach (var query in new[] { "comp", "numofmessages", "visibilitytimeout", "messagettl", "peekonly", "$top", "$select", "$filter" })
            Diagnostics.LoggedQueryParameters.Add(query);
    }

    /// <summary>The x-ms-version to send; null picks the per-service default above.</summary>
    public string? ServiceVersion { get; set; }
}

/// <summary>How queue message text is carried on the wire.</summary>
public enum QueueMessageEncoding
{
    /// <summary>The text is sent as is (XML-escaped).</summary>
    None,

    /// <summary>The text is sent as base64 of its UTF-8 bytes: what the Functions queue trigger expects by default.</summary>
    Base64,
}

/// <summary>Options for <see cref="QueueClient"/>.</summary>
public class QueueClientOptions : StorageClientOptions
{
    /// <summary>Defaults to <see cref="QueueMessageEncoding.Base64"/>, matching the Functions host's default messageEncoding.</summary>
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.Base64;
}
