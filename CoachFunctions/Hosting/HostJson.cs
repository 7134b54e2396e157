using System.Text.Json;
using Azure.Storage.Queues;

namespace CoachFunctions.Hosting;

/// <summary>
/// The one thing the app itself reads from host.json: the queue message encoding the host's queue
/// triggers expect, so messages the app queues directly (delayed deliveries, admin scans) decode
/// like those its queue outputs produce.
/// </summary>
public static class HostJson
{
    public static QueueMessageEncoding QueueEncoding(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "host.json");
        if (!File.Exists(path)) return QueueMessageEncoding.Base64;
        using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return doc.RootElement.TryGetProperty("extensions", out var extensions)
               && extensions.TryGetProperty("queues", out var queues)
               && queues.TryGetProperty("messageEncoding", out var encoding)
               && string.Equals(encoding.GetString(), "none", StringComparison.OrdinalIgnoreCase)
            ? QueueMessageEncoding.None
            : QueueMessageEncoding.Base64;
    }
}
