using CoachFunctions.LocalHost.Functions;
using CoachFunctions.LocalHost.Rpc;
using CoachFunctions.LocalHost.Settings;

namespace CoachFunctions.LocalHost.Queues;

/// <summary>Writes a successful invocation's queue outputs: <c>$return</c> and named ones.</summary>
internal sealed class QueueOutputWriter(QueueClientFactory queues, AppSettings settings, QueuePollingSignal polling)
{
    public async Task WriteAsync(FunctionDescriptor function, InvocationResponse response, CancellationToken cancellationToken)
    {
        foreach (var binding in function.Outputs.Where(b => b.Is("queue")))
        {
            var data = binding.Name == "$return"
                ? response.ReturnValue
                : response.OutputData.FirstOrDefault(o => string.Equals(o.Name, binding.Name, StringComparison.OrdinalIgnoreCase))?.Data;
            var messages = QueueOutputMessages.From(data);
            if (messages.Count == 0) continue;

            var queueName = QueueClientFactory.NormalizeQueueName(settings.Resolve(binding.Property("queueName") ?? throw new InvalidOperationException($"Queue output '{binding.Name}' of {function.Name} has no queueName.")));
            var queue = await queues.GetQueueAsync(binding.Property("connection"), queueName, cancellationToken);
            foreach (var message in messages) await queue.SendMessageAsync(message, cancellationToken: cancellationToken);
            polling.Notify(queueName);
        }
    }
}
