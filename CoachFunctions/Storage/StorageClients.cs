using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using CoachFunctions.Hosting;
using Microsoft.Extensions.Configuration;

namespace CoachFunctions.Storage;

/// <summary>
/// The official SDK's table and queue clients for the app's storage account, one per name, all on
/// one pipeline per service. Configured the way the Functions host configures <c>AzureWebJobsStorage</c>:
/// a connection string (Azurite locally), or identity-based settings (<see cref="StorageIdentity"/>).
/// </summary>
public sealed class StorageClients
{
    public const string SettingName = "AzureWebJobsStorage";

    /// <summary>
    /// Pinned on every queue client, not only the emulator's. 12.28.1 would send 2026-10-06, which
    /// Azurite 3.37 refuses unless started with --skipApiVersionCheck; 2026-06-06 is the SDK's previous
    /// GA version, which Azure serves as it serves every published version, and everything used here
    /// (create, put, get, update, delete message) is far older. One version everywhere means the tests
    /// against Azurite exercise exactly the requests Azure gets.
    /// </summary>
    public const QueueClientOptions.ServiceVersion QueueServiceVersion = QueueClientOptions.ServiceVersion.V2026_06_06;

    private readonly ConcurrentDictionary<string, TableClient> _tables = new();
    private readonly ConcurrentDictionary<string, QueueClient> _queues = new();

    /// <param name="perRetryPolicy">
    /// An extra Azure.Core policy run on every request attempt (retries included) of every client
    /// made here: for example one that counts the storage transactions a piece of work issues.
    /// </param>
    public StorageClients(string connectionString, QueueMessageEncoding encoding, HttpPipelinePolicy? perRetryPolicy = null)
    {
        MessageEncoding = encoding;
        TableService = new TableServiceClient(connectionString, TableOptions(perRetryPolicy));
        QueueService = new QueueServiceClient(connectionString, QueueOptions(encoding, perRetryPolicy));
    }

    /// <summary>Whether storage is answering, as every request of these clients found it; also their fail-fast gate.</summary>
    public StorageReachability Reachability { get; } = new();

    public StorageClients(Uri tableServiceUri, Uri queueServiceUri, TokenCredential credential, QueueMessageEncoding encoding,
        HttpPipelinePolicy? perRetryPolicy = null)
    {
        MessageEncoding = encoding;
        TableService = new TableServiceClient(tableServiceUri, credential, TableOptions(perRetryPolicy));
        QueueService = new QueueServiceClient(queueServiceUri, credential, QueueOptions(encoding, perRetryPolicy));
    }

    public TableServiceClient TableService { get; }

    public QueueServiceClient QueueService { get; }

    /// <summary>host.json's <c>messageEncoding</c>: every queue client here reads and writes in it.</summary>
    public QueueMessageEncoding MessageEncoding { get; }

    public TableClient Table(string name) => _tables.GetOrAdd(name, TableService.GetTableClient);

    public QueueClient Queue(string name) => _queues.GetOrAdd(name, QueueService.GetQueueClient);

    public static StorageClients FromConfiguration(IConfiguration configuration, QueueMessageEncoding encoding, HttpPipelinePolicy? perRetryPolicy = null)
    {
        var section = configuration.GetSection(SettingName);
        // The Functions host's rule: a connection string, when set, wins over identity settings. The
        // app follows it so that the host's triggers and the app's own clients reach the same account.
        if (!string.IsNullOrWhiteSpace(section.Value))
            return new StorageClients(section.Value, encoding, perRetryPolicy);
        if (StorageIdentity.Read(section) is { } identity)
            return new StorageClients(identity.TableServiceUri, identity.QueueServiceUri, identity.CreateCredential(), encoding, perRetryPolicy);
        throw new InvalidOperationException(
            $"Storage is not configured: set '{SettingName}' to a connection string (UseDevelopmentStorage=true for Azurite), " +
            $"or '{SettingName}__accountName' (or '{SettingName}__tableServiceUri' and '{SettingName}__queueServiceUri') for managed identity.");
    }

    private TableClientOptions TableOptions(HttpPipelinePolicy? policy) => WithPolicies(new TableClientOptions(), policy);

    private QueueClientOptions QueueOptions(QueueMessageEncoding encoding, HttpPipelinePolicy? policy) =>
        WithPolicies(new QueueClientOptions(QueueServiceVersion) { MessageEncoding = encoding }, policy);

    private T WithPolicies<T>(T options, HttpPipelinePolicy? policy) where T : ClientOptions
    {
        options.AddPolicy(new StoragePolicies.Gate(Reachability), HttpPipelinePosition.PerCall);
        if (policy is not null) options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        // Last, next to the transport: it judges what the network did, not what a caller's policy did.
        options.AddPolicy(new StoragePolicies.Observer(Reachability), HttpPipelinePosition.PerRetry);
        return options;
    }
}
