using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using CoachFunctions.LocalHost.Settings;

namespace CoachFunctions.LocalHost.Queues;

/// <summary>
/// Queue clients by connection setting name (the binding's "connection", default AzureWebJobsStorage,
/// looked up as NAME then AzureWebJobsNAME like the host), creating each queue once on first use.
/// <paramref name="perRetryPolicy"/>: <see cref="LocalHostOptions.QueuePipelinePolicy"/>, on every client made here.
/// </summary>
internal sealed class QueueClientFactory(AppSettings settings, HostJson host, HttpPipelinePolicy? perRetryPolicy = null)
{
    public const string DefaultConnection = "AzureWebJobsStorage";

    private readonly ConcurrentDictionary<string, QueueServiceClient> _services = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> _queues = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A queue, created if it does not exist yet (the trigger queue and its -poison queue alike).</summary>
    public Task<QueueClient> GetQueueAsync(string? connectionName, string queueName, CancellationToken cancellationToken)
    {
        var service = Service(connectionName);
        var key = $"{service.Uri}|{queueName}";
        var lazy = _queues.GetOrAdd(key, _ => new Lazy<Task<QueueClient>>(async () =>
        {
            var queue = service.GetQueueClient(queueName);
            await queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            return queue;
        }));
        var task = lazy.Value;
        // A failed creation (storage not up yet) is retried on the next call rather than remembered.
        if (task.IsFaulted) _queues.TryRemove(new KeyValuePair<string, Lazy<Task<QueueClient>>>(key, lazy));
        return task.WaitAsync(cancellationToken);
    }

    public QueueServiceClient Service(string? connectionName)
    {
        var name = string.IsNullOrWhiteSpace(connectionName) ? DefaultConnection : connectionName;
        return _services.GetOrAdd(name, n =>
        {
            var connectionString = AppSettingsLoader.GetWithEnvironment(settings, n)
                ?? AppSettingsLoader.GetWithEnvironment(settings, $"AzureWebJobs{n}")
                ?? throw new InvalidOperationException($"The queue connection '{n}' is not set: add a connection string setting of that name (e.g. UseDevelopmentStorage=true for Azurite). Identity-based connections are not supported by the local host.");
            return new QueueServiceClient(connectionString, Options(n));
        });
    }

    private QueueClientOptions Options(string connectionName)
    {
        // Azure.Storage.Queues 12.28.1 defaults to API version 2026-10-06, which Azurite 3.37 refuses
        // without --skipApiVersionCheck; 2026-06-06 works with both Azurite and Azure.
        var options = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06)
        {
            MessageEncoding = host.Queues.Base64 ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None,
        };
        if (perRetryPolicy is not null) options.AddPolicy(perRetryPolicy, HttpPipelinePosition.PerRetry);
        // As the host does: a message that is not valid base64 can never be processed, so it goes
        // straight to the poison queue instead of failing every poll.
        options.MessageDecodingFailed += async args =>
        {
            if (args.ReceivedMessage is not { } message || args.Queue.Name.EndsWith("-poison", StringComparison.Ordinal)) return;
            var poison = await GetQueueAsync(connectionName, $"{args.Queue.Name}-poison", args.CancellationToken);
            await poison.SendMessageAsync(message.Body, cancellationToken: args.CancellationToken);
            await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken);
        };
        return options;
    }

    public static string NormalizeQueueName(string name)
    {
        var normalized = name.Trim().ToLowerInvariant();
        if (normalized.Length is < 3 or > 63 || !normalized.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            || normalized.StartsWith('-') || normalized.EndsWith('-') || normalized.Contains("--", StringComparison.Ordinal))
            throw new InvalidOperationException($"'{name}' is not a valid queue name (3-63 lowercase letters, digits and single hyphens).");
        return normalized;
    }
}
