using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Storage.Queues;
using CoachFunctions.Hosting.Invocation;
using CoachFunctions.Hosting.SignalR;
using CoachFunctions.Storage;
using Microsoft.AspNetCore.SignalR;

namespace CoachFunctions.Hosting.Local;

/// <summary>
/// Applies a function's outputs as the Functions host would: queue outputs become messages (an
/// array, one message per element, in host.json's encoding), SignalR outputs go to the stand-in hub.
/// Outputs pass through JSON first, so the local host sees exactly what the real host would.
/// </summary>
public sealed class OutputBinder(StorageClients storage, IHubContext<CoachingHub> hub, IConfiguration configuration)
{
    private readonly ConcurrentDictionary<string, Task> _createdQueues = new();

    public async Task BindAsync(FunctionDefinition function, InvocationResult result, CancellationToken ct)
    {
        foreach (var binding in function.Outputs)
        {
            if (!result.Outputs.TryGetValue(binding.Name, out var value) || value is null) continue;
            var json = JsonSerializer.SerializeToElement(value, CoachJson.Options);
            var items = json.ValueKind == JsonValueKind.Array ? json.EnumerateArray().ToList() : [json];
            switch (binding.Type)
            {
                case "queue":
                    var queue = storage.Queue(FunctionCatalog.Resolve(binding.QueueName!, k => configuration[k]));
                    await EnsureCreatedAsync(queue, ct);
                    foreach (var item in items)
                        await queue.SendMessageAsync(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText(), cancellationToken: ct);
                    break;
                case "signalR":
                    foreach (var item in items) await SendAsync(item, ct);
                    break;
                default:
                    throw new NotSupportedException($"The local host does not bind '{binding.Type}' outputs ({function.Name}.{binding.Name}).");
            }
        }
    }

    /// <summary>One create request per queue per process; a failed create is retried on the next output.</summary>
    private async Task EnsureCreatedAsync(QueueClient queue, CancellationToken ct)
    {
        var creating = _createdQueues.GetOrAdd(queue.Name, _ => queue.CreateIfNotExistsAsync(cancellationToken: ct));
        try { await creating; }
        catch { _createdQueues.TryRemove(queue.Name, out _); throw; }
    }

    private Task SendAsync(JsonElement message, CancellationToken ct)
    {
        var target = message.GetProperty("target").GetString()!;
        var arguments = message.TryGetProperty("arguments", out var a) ? a.EnumerateArray().Select(x => (object?)x.Clone()).ToArray() : [];
        // Precedence as in the SignalR binding: connectionId, then userId, then groupName.
        if (message.TryGetProperty("connectionId", out var c)) return hub.Clients.Client(c.GetString()!).SendCoreAsync(target, arguments, ct);
        if (message.TryGetProperty("userId", out var u)) return hub.Clients.User(u.GetString()!).SendCoreAsync(target, arguments, ct);
        if (message.TryGetProperty("groupName", out var g)) return hub.Clients.Group(g.GetString()!).SendCoreAsync(target, arguments, ct);
        return hub.Clients.All.SendCoreAsync(target, arguments, ct);
    }
}
