using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace CoachFunctions.Storage;

/// <summary>
/// Table and queue clients for the app's storage account, one per name. Configured the way the
/// Functions host configures <c>AzureWebJobsStorage</c>: a connection string (Azurite locally), or
/// identity-based service URIs (<c>AzureWebJobsStorage__tableServiceUri</c> and
/// <c>__queueServiceUri</c>) with managed identity in Azure.
/// </summary>
public sealed class StorageClients
{
    public const string SettingName = "AzureWebJobsStorage";

    private readonly Func<string, TableClient> _newTable;
    private readonly Func<string, QueueClient> _newQueue;
    private readonly ConcurrentDictionary<string, TableClient> _tables = new();
    private readonly ConcurrentDictionary<string, QueueClient> _queues = new();

    /// <param name="perRetryPolicy">
    /// An extra Azure.Core policy run on every request attempt (retries included) of every client
    /// made here: for example one that counts the storage transactions a piece of work issues.
    /// </param>
    public StorageClients(string connectionString, QueueMessageEncoding encoding, HttpPipelinePolicy? perRetryPolicy = null)
    {
        MessageEncoding = encoding;
        _newTable = name => new TableClient(connectionString, name, With(new StorageClientOptions(), perRetryPolicy));
        _newQueue = name => new QueueClient(connectionString, name, With(new QueueClientOptions { MessageEncoding = encoding }, perRetryPolicy));
    }

    public StorageClients(Uri tableServiceUri, Uri queueServiceUri, TokenCredential credential, QueueMessageEncoding encoding,
        HttpPipelinePolicy? perRetryPolicy = null)
    {
        MessageEncoding = encoding;
        _newTable = name => new TableClient(tableServiceUri, name, credential, With(new StorageClientOptions(), perRetryPolicy));
        _newQueue = name => new QueueClient(queueServiceUri, name, credential, With(new QueueClientOptions { MessageEncoding = encoding }, perRetryPolicy));
    }

    public QueueMessageEncoding MessageEncoding { get; }

    public TableClient Table(string name) => _tables.GetOrAdd(name, _newTable);

    public QueueClient Queue(string name) => _queues.GetOrAdd(name, _newQueue);

    private static T With<T>(T options, HttpPipelinePolicy? policy) where T : StorageClientOptions
    {
        if (policy is not null) options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        return options;
    }

    public static StorageClients FromConfiguration(IConfiguration configuration, QueueMessageEncoding encoding)
    {
        var connectionString = configuration[SettingName];
        if (!string.IsNullOrWhiteSpace(connectionString))
            return new StorageClients(connectionString, encoding);

        var tableUri = configuration[$"{SettingName}:tableServiceUri"];
        var queueUri = configuration[$"{SettingName}:queueServiceUri"];
        if (tableUri is null || queueUri is null)
            throw new InvalidOperationException(
                $"Storage is not configured: set '{SettingName}' to a connection string (UseDevelopmentStorage=true for Azurite), " +
                $"or '{SettingName}__tableServiceUri' and '{SettingName}__queueServiceUri' for managed identity.");
        var clientId = configuration[$"{SettingName}:clientId"];
        TokenCredential credential = clientId is null ? new DefaultAzureCredential() : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        return new StorageClients(new Uri(tableUri), new Uri(queueUri), credential, encoding);
    }
}
