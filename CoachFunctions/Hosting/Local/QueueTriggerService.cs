using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CoachFunctions.Hosting.Invocation;
using CoachFunctions.Storage;

namespace CoachFunctions.Hosting.Local;

/// <summary>
/// Polls each queue-triggered function's queue with the Functions semantics from host.json: a batch
/// at a time, messages hidden while they run, outputs bound before the message is deleted, a failed
/// message visible again after <c>visibilityTimeout</c>, and after <c>maxDequeueCount</c> attempts
/// moved to <c>&lt;queue&gt;-poison</c>. Polling backs off to <c>maxPollingInterval</c> when idle.
/// </summary>
public sealed class QueueTriggerService(
    FunctionCatalog catalog, FunctionInvoker invoker, OutputBinder binder, StorageClients storage,
    QueueTriggerSettings settings, IConfiguration configuration, ILogger<QueueTriggerService> logger) : BackgroundService
{
    /// <summary>While a message runs it stays hidden this long (the extension's default); a crash releases it then.</summary>
    private static readonly TimeSpan InFlightVisibility = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Functions.Where(f => f.Trigger.Type == "queueTrigger").Select(f => Task.Run(() => PollAsync(f, stoppingToken), stoppingToken)));

    private async Task PollAsync(FunctionDefinition function, CancellationToken ct)
    {
        var queueName = FunctionCatalog.Resolve(function.Trigger.QueueName!, k => configuration[k]);
        var queue = storage.Queue(queueName);
        var delay = MinPollingInterval;
        var created = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!created)
                {
                    await queue.CreateIfNotExistsAsync(cancellationToken: ct);
                    created = true;
                }
                var messages = (await queue.ReceiveMessagesAsync(settings.BatchSize, InFlightVisibility, ct)).Value;
                if (messages.Length > 0)
                {
                    delay = MinPollingInterval;
                    await Task.WhenAll(messages.Select(m => ProcessAsync(function, queue, m, ct)));
                    continue;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Polling {Queue} failed; retrying", queueName);
                delay = settings.MaxPollingInterval;
            }
            try { await Task.Delay(delay, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task ProcessAsync(FunctionDefinition function, QueueClient queue, QueueMessage message, CancellationToken ct)
    {
        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            await PoisonAsync(queue, message, ct);
            return;
        }
        try
        {
            var result = await invoker.InvokeAsync(function.Name, Envelope(function, message), ct);
            await binder.BindAsync(function, result, ct);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            foreach (var line in result.Logs) logger.LogInformation("{Function}: {Line}", function.Name, line);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the message reappears after its in-flight visibility and runs again.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "{Function} failed on message {MessageId} (attempt {Attempt} of {Max})",
                function.Name, message.MessageId, message.DequeueCount, settings.MaxDequeueCount);
            if (message.DequeueCount >= settings.MaxDequeueCount)
                await PoisonAsync(queue, message, ct);
            else
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: ct);
        }
    }

    private async Task PoisonAsync(QueueClient queue, QueueMessage message, CancellationToken ct)
    {
        var poison = storage.Queue(StorageNames.Poison(queue.Name));
        await poison.CreateIfNotExistsAsync(cancellationToken: ct);
        // The decoded body; the poison queue's client encodes it as host.json says, so the text arrives unchanged.
        await poison.SendMessageAsync(message.Body, cancellationToken: ct);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
        logger.LogError("Message {MessageId} moved to {Queue} after {Attempts} attempts", message.MessageId, poison.Name, message.DequeueCount);
    }

    /// <summary>The envelope the Functions host sends: the message text JSON-encoded as a string, and its metadata.</summary>
    private static InvocationRequest Envelope(FunctionDefinition function, QueueMessage message)
    {
        var request = new InvocationRequest();
        request.Data[function.Trigger.Name] = JsonSerializer.SerializeToElement(JsonSerializer.Serialize(message.Body.ToString()));
        request.Metadata["DequeueCount"] = JsonSerializer.SerializeToElement(message.DequeueCount.ToString());
        request.Metadata["Id"] = JsonSerializer.SerializeToElement($"\"{message.MessageId}\"");
        request.Metadata["PopReceipt"] = JsonSerializer.SerializeToElement($"\"{message.PopReceipt}\"");
        request.Metadata["InsertionTime"] = JsonSerializer.SerializeToElement(message.InsertedOn);
        request.Metadata["ExpirationTime"] = JsonSerializer.SerializeToElement(message.ExpiresOn);
        request.Metadata["NextVisibleTime"] = JsonSerializer.SerializeToElement(message.NextVisibleOn);
        return request;
    }
}
