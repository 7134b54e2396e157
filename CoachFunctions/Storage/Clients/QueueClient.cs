using System.Globalization;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CoachFunctions.Storage;

/// <summary>
/// A client for one queue, shaped like Azure.Storage.Queues.QueueClient (which cannot be restored
/// here). Talks the Queue service REST API through an Azure.Core pipeline.
/// </summary>
public class QueueClient
{
    private readonly HttpPipeline _pipeline = null!;
    private readonly string _queueUrl = null!;
    private readonly string _version = null!;

    /// <summary>Shared Key (or SAS) auth from a storage connection string.</summary>
    public QueueClient(string connectionString, string queueName, QueueClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), queueName, options ?? new QueueClientOptions())
    {
    }

    /// <summary>Entra ID auth: a bearer token for https://storage.azure.com/.default on every request.</summary>
    public QueueClient(Uri queueServiceEndpoint, string queueName, TokenCredential credential, QueueClientOptions? options = null)
        : this(queueServiceEndpoint, queueName, options ?? new QueueClientOptions(),
            StoragePipeline.FromCredential(credential ?? throw new ArgumentNullException(nameof(credential)), options ?? new QueueClientOptions()))
    {
    }

    private QueueClient(StorageConnectionString connection, string queueName, QueueClientOptions options)
        : this(connection.QueueEndpoint, queueName, options, StoragePipeline.FromConnectionString(connection, options, StorageServiceKind.Queue))
    {
    }

    private QueueClient(Uri endpoint, string queueName, QueueClientOptions options, HttpPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        Name = queueName;
        MessageEncoding = options.MessageEncoding;
        _queueUrl = endpoint.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(queueName);
        _version = options.ServiceVersion ?? StorageClientOptions.DefaultQueueServiceVersion;
        _pipeline = pipeline;
    }

    /// <summary>For mocking.</summary>
    protected QueueClient()
    {
        Name = "";
    }

    public virtual string Name { get; }

    public virtual QueueMessageEncoding MessageEncoding { get; }

    /// <summary>The queue's URL, e.g. http://127.0.0.1:10001/devstoreaccount1/myqueue.</summary>
    public virtual Uri Uri => new(_queueUrl);

    /// <summary>Creates the queue: 201 when created, 204 when it already existed; 409 (exists with other metadata) is also success.</summary>
    public virtual async Task<Response> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(RequestMethod.Put, _queueUrl, null, cancellationToken).ConfigureAwait(false);
        if (response.Status == 409 && StorageResponse.ErrorCode(response) == "QueueAlreadyExists") return response;
        return StorageResponse.Expect(response, 201, 204);
    }

    /// <summary>Deletes the queue; a missing queue (404) is returned, not thrown.</summary>
    public virtual async Task<Response> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(RequestMethod.Delete, _queueUrl, null, cancellationToken).ConfigureAwait(false);
        return response.Status == 404 ? response : StorageResponse.Expect(response, 204);
    }

    /// <summary>
    /// Puts a message. <paramref name="visibilityTimeout"/> delays its first visibility;
    /// <paramref name="timeToLive"/> defaults to 7 days, and TimeSpan.FromSeconds(-1) means never expire.
    /// The text is encoded per <see cref="MessageEncoding"/> (Base64: base64 of the UTF-8 bytes, as the Functions host decodes it).
    /// </summary>
    public virtual async Task<Response<SendReceipt>> SendMessageAsync(string messageText, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        var url = _queueUrl + "/messages" + StorageQuery.Build(
            ("visibilitytimeout", Seconds(visibilityTimeout)),
            ("messagettl", Seconds(timeToLive)));
        var response = StorageResponse.Expect(
            await SendAsync(RequestMethod.Post, url, QueueMessageXml.Request(Encode(messageText)), cancellationToken).ConfigureAwait(false), 201);
        var m = QueueMessageXml.Messages(response.Content).FirstOrDefault()
                ?? throw new RequestFailedException(response.Status, "Put Message answered without a QueueMessage element.");
        var receipt = new SendReceipt(
            QueueMessageXml.Text(m, "MessageId"),
            QueueMessageXml.Text(m, "PopReceipt"),
            QueueMessageXml.Date(m, "InsertionTime") ?? default,
            QueueMessageXml.Date(m, "ExpirationTime") ?? default,
            QueueMessageXml.Date(m, "TimeNextVisible") ?? default);
        return Response.FromValue(receipt, response);
    }

    /// <summary>Dequeues up to <paramref name="maxMessages"/> (1-32, default 1), hiding them for <paramref name="visibilityTimeout"/> (default 30 s).</summary>
    public virtual async Task<Response<QueueMessage[]>> ReceiveMessagesAsync(int? maxMessages = null, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        var url = _queueUrl + "/messages" + StorageQuery.Build(
            ("numofmessages", maxMessages?.ToString(CultureInfo.InvariantCulture)),
            ("visibilitytimeout", Seconds(visibilityTimeout)));
        var response = StorageResponse.Expect(await SendAsync(RequestMethod.Get, url, null, cancellationToken).ConfigureAwait(false), 200);
        var messages = QueueMessageXml.Messages(response.Content).Select(m => new QueueMessage(
            QueueMessageXml.Text(m, "MessageId"),
            QueueMessageXml.Text(m, "PopReceipt"),
            Decode(QueueMessageXml.Text(m, "MessageText")),
            QueueMessageXml.Long(m, "DequeueCount"),
            QueueMessageXml.Date(m, "InsertionTime"),
            QueueMessageXml.Date(m, "ExpirationTime"),
            QueueMessageXml.Date(m, "TimeNextVisible"))).ToArray();
        return Response.FromValue(messages, response);
    }

    /// <summary>Reads up to <paramref name="maxMessages"/> visible messages without dequeuing them.</summary>
    public virtual async Task<Response<PeekedMessage[]>> PeekMessagesAsync(int? maxMessages = null, CancellationToken cancellationToken = default)
    {
        var url = _queueUrl + "/messages" + StorageQuery.Build(
            ("peekonly", "true"),
            ("numofmessages", maxMessages?.ToString(CultureInfo.InvariantCulture)));
        var response = StorageResponse.Expect(await SendAsync(RequestMethod.Get, url, null, cancellationToken).ConfigureAwait(false), 200);
        var messages = QueueMessageXml.Messages(response.Content).Select(m => new PeekedMessage(
            QueueMessageXml.Text(m, "MessageId"),
            Decode(QueueMessageXml.Text(m, "MessageText")),
            QueueMessageXml.Long(m, "DequeueCount"),
            QueueMessageXml.Date(m, "InsertionTime"),
            QueueMessageXml.Date(m, "ExpirationTime"))).ToArray();
        return Response.FromValue(messages, response);
    }

    /// <summary>Deletes a received message; a stale pop receipt or a missing message fails with 404.</summary>
    public virtual async Task<Response> DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        var url = MessageUrl(messageId) + StorageQuery.Build(("popreceipt", popReceipt));
        return StorageResponse.Expect(await SendAsync(RequestMethod.Delete, url, null, cancellationToken).ConfigureAwait(false), 204);
    }

    /// <summary>
    /// Changes a received message's visibility (relative to now) and, when <paramref name="messageText"/>
    /// is given, its text. Use the returned pop receipt from now on.
    /// </summary>
    public virtual async Task<Response<UpdateReceipt>> UpdateMessageAsync(string messageId, string popReceipt, string? messageText = null, TimeSpan visibilityTimeout = default, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        var url = MessageUrl(messageId) + StorageQuery.Build(
            ("popreceipt", popReceipt),
            ("visibilitytimeout", Seconds(visibilityTimeout)));
        var body = messageText is null ? null : QueueMessageXml.Request(Encode(messageText));
        var response = StorageResponse.Expect(await SendAsync(RequestMethod.Put, url, body, cancellationToken).ConfigureAwait(false), 204);
        response.Headers.TryGetValue("x-ms-popreceipt", out var newReceipt);
        response.Headers.TryGetValue("x-ms-time-next-visible", out var nextVisible);
        return Response.FromValue(new UpdateReceipt(newReceipt ?? "", QueueMessageXml.ParseDate(nextVisible) ?? default), response);
    }

    public virtual async Task<Response<QueueProperties>> GetPropertiesAsync(CancellationToken cancellationToken = default)
    {
        var response = StorageResponse.Expect(await SendAsync(RequestMethod.Get, _queueUrl + "?comp=metadata", null, cancellationToken).ConfigureAwait(false), 200);
        response.Headers.TryGetValue("x-ms-approximate-messages-count", out var count);
        return Response.FromValue(new QueueProperties(int.TryParse(count, CultureInfo.InvariantCulture, out var n) ? n : 0), response);
    }

    /// <summary>Deletes every message in the queue.</summary>
    public virtual async Task<Response> ClearMessagesAsync(CancellationToken cancellationToken = default) =>
        StorageResponse.Expect(await SendAsync(RequestMethod.Delete, _queueUrl + "/messages", null, cancellationToken).ConfigureAwait(false), 204);

    private string Encode(string text) =>
        MessageEncoding == QueueMessageEncoding.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) : text;

    private string Decode(string wire) =>
        MessageEncoding == QueueMessageEncoding.Base64 ? Encoding.UTF8.GetString(Convert.FromBase64String(wire)) : wire;

    private string MessageUrl(string messageId) => _queueUrl + "/messages/" + Uri.EscapeDataString(messageId);

    private static string? Seconds(TimeSpan? value) =>
        value is null ? null : ((long)Math.Floor(value.Value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);


    private async Task<Response> SendAsync(RequestMethod method, string url, byte[]? body, CancellationToken cancellationToken)
    {
        // Not disposed: the response goes back to the caller; bodies are buffered so the connection is free.
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri(url));
        request.Headers.SetValue("x-ms-version", _version);
        if (body is not null)
        {
            request.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
            request.Content = RequestContent.Create(body);
        }

        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }
}
