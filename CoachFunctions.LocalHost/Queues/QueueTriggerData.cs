using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using CoachFunctions.LocalHost.Functions;
using CoachFunctions.LocalHost.Rpc;
using Google.Protobuf;

namespace CoachFunctions.LocalHost.Queues;

/// <summary>A queue message as the Functions host hands it to the worker: the trigger input and the trigger metadata.</summary>
internal static class QueueTriggerData
{
    public static TypedData Input(BindingDescriptor trigger, QueueMessage message)
    {
        if (trigger.SupportsDeferredBinding)
        {
            // SDK-type parameters (QueueMessage, BinaryData) are built by the worker's converter from this.
            var content = JsonSerializer.SerializeToUtf8Bytes(new
            {
                message.MessageId,
                message.PopReceipt,
                MessageText = message.Body.ToString(),
                message.DequeueCount,
                message.NextVisibleOn,
                message.InsertedOn,
                message.ExpiresOn,
            });
            return new TypedData
            {
                ModelBindingData = new ModelBindingData { Version = "1.0", Source = "AzureStorageQueues", ContentType = "application/json", Content = ByteString.CopyFrom(content) },
            };
        }
        return string.Equals(trigger.DataType, "binary", StringComparison.OrdinalIgnoreCase)
            ? new TypedData { Bytes = ByteString.CopyFrom(message.Body.ToMemory().Span) }
            : new TypedData { String = message.Body.ToString() };
    }

    /// <summary>
    /// The metadata names the real host sends. DequeueCount is a string TypedData ("2"): an integer
    /// TypedData makes the worker throw, and so does a JSON string ("\"2\"") for an int parameter.
    /// Times are ISO 8601 JSON strings, which bind to DateTimeOffset and string alike.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, TypedData>> Metadata(QueueMessage message)
    {
        yield return new("Id", Text(message.MessageId));
        yield return new("PopReceipt", Text(message.PopReceipt));
        yield return new("DequeueCount", Text(message.DequeueCount.ToString(CultureInfo.InvariantCulture)));
        if (message.InsertedOn is { } inserted) yield return new("InsertionTime", JsonString(Iso(inserted)));
        if (message.ExpiresOn is { } expires) yield return new("ExpirationTime", JsonString(Iso(expires)));
        if (message.NextVisibleOn is { } next) yield return new("NextVisibleTime", JsonString(Iso(next)));
    }

    private static string Iso(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    private static TypedData Text(string value) => new() { String = value };

    private static TypedData JsonString(string value) => new() { Json = JsonSerializer.Serialize(value) };
}
