using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CoachFunctions.LocalHost.Functions;
using CoachFunctions.LocalHost.Rpc;
using CoachFunctions.LocalHost.Settings;
using CoachFunctions.LocalHost.Workers;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Queues;

/// <summary>
/// One queue-triggered function, with the host's semantics: batches of batchSize, a new batch when no
/// more than newBatchThreshold are in flight, a lease renewed while the function runs, a failed
/// message released for visibilityTimeout, and after maxDequeueCount attempts moved to "&lt;queue&gt;-poison".
/// </summary>
internal sealed class QueueTriggerListener(
    FunctionDescriptor function,
    string queueName,
    string? connectionName,
    QueuesHostOptions options,
    QueueClientFactory queues,
    FunctionInvoker invoker,
    WorkerSlot slot,
    QueuePollingSignal polling,
    ILogger logger)
{
    /// <summary>How long a dequeued message stays ours; renewed at half while the function runs.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _completed = new(0);
    private int _inFlight;

    /// <summary>Polls until <paramref name="stoppingToken"/>; running invocations go on until they end or <paramref name="abortToken"/>.</summary>
    public async Task RunAsync(CancellationToken stoppingToken, CancellationToken abortToken)
    {
        var queue = await RetryAsync(() => queues.GetQueueAsync(connectionName, queueName, stoppingToken), stoppingToken);
        var poison = await RetryAsync(() => queues.GetQueueAsync(connectionName, $"{queueName}-poison", stoppingToken), stoppingToken);
        logger.LogDebug("Listening to queue {Queue} for {Function}.", queueName, function.Name);

        var backoff = new PollingBackoff(options.MaxPollingInterval, Random.Shared);
        var running = new List<Task>();
        DateTimeOffset? unreachableSince = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Do not take messages no worker can run: they would fail and use up their attempts.
                await slot.WaitReadyAsync(stoppingToken);
                if (Volatile.Read(ref _inFlight) > options.NewBatchThreshold)
                {
                    await _completed.WaitAsync(stoppingToken);
                    continue;
                }

                var received = await queue.ReceiveMessagesAsync(options.BatchSize, Lease, stoppingToken);
                if (unreachableSince is { } since)
                {
                    logger.LogInformation("Queue {Queue} is reachable again after {Seconds:0.0} s.", queueName, (DateTimeOffset.UtcNow - since).TotalSeconds);
                    unreachableSince = null;
                }
                if (received.Value.Length == 0)
                {
                    await polling.WaitAsync(queueName, backoff.Next(), stoppingToken);
                    continue;
                }
                backoff.Reset();
                foreach (var message in received.Value)
                {
                    Interlocked.Increment(ref _inFlight);
                    running.Add(ProcessAsync(queue, poison, message, abortToken));
                }
                running.RemoveAll(t => t.IsCompleted);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (IsStorageFailure(e))
            {
                // Once per outage, not once per poll: the outage is one event, and its end is logged too.
                if (unreachableSince is null)
                {
                    unreachableSince = DateTimeOffset.UtcNow;
                    logger.LogWarning("Polling queue {Queue} failed: {Error}; retrying every {Interval} until it answers.", queueName, e.Message, options.MaxPollingInterval);
                }
                else
                {
                    logger.LogDebug("Polling queue {Queue} failed again: {Error}", queueName, e.Message);
                }
                try { await Task.Delay(options.MaxPollingInterval, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
        await Task.WhenAll(running);
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken abortToken)
    {
        try
        {
            if (message.DequeueCount > options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message, message.PopReceipt, "its earlier attempts ended without an outcome (host or worker stopped)");
                return;
            }

            using var lease = new QueueMessageLease(queue, message, Lease, logger);
            var outcome = await InvokeAsync(message, abortToken);
            var popReceipt = await lease.StopAsync();
            if (outcome.Succeeded)
            {
                await queue.DeleteMessageAsync(message.MessageId, popReceipt, CancellationToken.None);
            }
            else if (message.DequeueCount >= options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message, popReceipt, outcome.Error ?? "the function failed");
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: options.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (abortToken.IsCancellationRequested)
        {
            // Shutting down: the message becomes visible again when its lease runs out.
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            logger.LogWarning("Could not complete message {MessageId} on queue {Queue}: {Error}", message.MessageId, queueName, e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _completed.Release();
        }
    }

    private async Task<InvocationOutcome> InvokeAsync(QueueMessage message, CancellationToken abortToken)
    {
        WorkerConnection worker;
        try
        {
            worker = await invoker.ReadyWorkerAsync(TimeSpan.FromMinutes(5), abortToken);
        }
        catch (WorkerUnavailableException e)
        {
            return InvocationOutcome.NoWorker(e.Message);
        }
        var request = FunctionInvoker.NewRequest(function);
        request.InputData.Add(new ParameterBinding { Name = function.Trigger!.Name, Data = QueueTriggerData.Input(function.Trigger, message) });
        foreach (var (key, value) in QueueTriggerData.Metadata(message)) request.TriggerMetadata[key] = value;
        return await invoker.InvokeAsync(worker, function, request, $"New queue message detected on '{queueName}'.", abortToken);
    }

    /// <summary>The body moves verbatim, as under the real host; the reason goes to the log with the message id.</summary>
    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, string popReceipt, string reason)
    {
        logger.LogWarning("Message {MessageId} on queue {Queue} has reached MaxDequeueCount of {Max}; moving it to {Poison}. Last failure: {Reason}",
            message.MessageId, queueName, options.MaxDequeueCount, poison.Name, reason);
        await poison.SendMessageAsync(message.Body, cancellationToken: CancellationToken.None);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt, CancellationToken.None);
    }

    private async Task<T> RetryAsync<T>(Func<Task<T>> action, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (IsStorageFailure(e))
            {
                logger.LogWarning("Queue {Queue} is not reachable yet ({Error}); retrying.", queueName, e.Message);
            }
            await Task.Delay(options.MaxPollingInterval, stoppingToken);
        }
    }

    /// <summary>Azure.Core throws RequestFailedException, or AggregateException once its retries are spent.</summary>
    private static bool IsStorageFailure(Exception e) => e is RequestFailedException or HttpRequestException
        || (e is AggregateException aggregate && aggregate.InnerExceptions.All(i => i is RequestFailedException or HttpRequestException));
}
