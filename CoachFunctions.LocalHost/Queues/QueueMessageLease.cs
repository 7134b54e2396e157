using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace CoachFunctions.LocalHost.Queues;

/// <summary>
/// Keeps a dequeued message invisible while its function runs by extending its visibility at half
/// the lease. Each renewal changes the pop receipt; <see cref="StopAsync"/> returns the current one.
/// </summary>
internal sealed class QueueMessageLease : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private string _popReceipt;

    public QueueMessageLease(QueueClient queue, QueueMessage message, TimeSpan lease, ILogger logger)
    {
        _popReceipt = message.PopReceipt;
        _renewing = RenewAsync(queue, message.MessageId, lease, logger, _stop.Token);
    }

    public async Task<string> StopAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        return _popReceipt;
    }

    private async Task RenewAsync(QueueClient queue, string messageId, TimeSpan lease, ILogger logger, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(lease / 2, stop);
                // Not cancelled by stop: an interrupted renewal could leave us with a stale pop receipt.
                var updated = await queue.UpdateMessageAsync(messageId, _popReceipt, visibilityTimeout: lease, cancellationToken: CancellationToken.None);
                _popReceipt = updated.Value.PopReceipt;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (RequestFailedException e)
        {
            logger.LogWarning("Could not renew the lease of message {MessageId}: {Error}", messageId, e.Message);
        }
    }

    public void Dispose() => _stop.Dispose();
}
