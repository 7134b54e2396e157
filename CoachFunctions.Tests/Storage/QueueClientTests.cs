using System.Text;
using Azure;
using CoachFunctions.Storage;
using CoachFunctions.Tests.Infrastructure;
using Xunit;

namespace CoachFunctions.Tests.Storage;

/// <summary>Queue operations against a real Azurite Queue service.</summary>
public class QueueClientTests : IAsyncLifetime
{
    private string _connectionString = null!;
    private QueueClient _queue = null!;

    /// <summary>The same queue without encoding: shows the exact text on the wire.</summary>
    private QueueClient _raw = null!;

    public async Task InitializeAsync()
    {
        _connectionString = (await Azurite.SharedAsync()).ConnectionString;
        var name = StorageTestNames.Queue();
        _queue = new QueueClient(_connectionString, name);
        _raw = new QueueClient(_connectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await _queue.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await _queue.DeleteIfExistsAsync();

    [Fact]
    public async Task Create_and_delete_are_idempotent()
    {
        var queue = new QueueClient(_connectionString, StorageTestNames.Queue("idem"));
        Assert.Equal(201, (await queue.CreateIfNotExistsAsync()).Status);
        Assert.Equal(204, (await queue.CreateIfNotExistsAsync()).Status);
        Assert.Equal(204, (await queue.DeleteIfExistsAsync()).Status);
        Assert.Equal(404, (await queue.DeleteIfExistsAsync()).Status);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync("x"));
        Assert.Equal(404, e.Status);
        Assert.Equal("QueueNotFound", e.ErrorCode);
    }

    [Fact]
    public async Task Base64_is_the_default_and_is_base64_of_utf8_as_the_functions_host_decodes_it()
    {
        Assert.Equal(QueueMessageEncoding.Base64, _queue.MessageEncoding);
        const string text = "{\"userId\":\"ü-東京\",\"note\":\"<a & b>\"}";

        var receipt = await _queue.SendMessageAsync(text);
        Assert.Equal(201, receipt.GetRawResponse().Status);
        Assert.False(string.IsNullOrEmpty(receipt.Value.MessageId));
        Assert.False(string.IsNullOrEmpty(receipt.Value.PopReceipt));

        var wire = Assert.Single((await _raw.PeekMessagesAsync()).Value).MessageText;
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)), wire);
        Assert.Equal(text, Encoding.UTF8.GetString(Convert.FromBase64String(wire)));

        var received = Assert.Single((await _queue.ReceiveMessagesAsync()).Value);
        Assert.Equal(text, received.MessageText);
        Assert.Equal(receipt.Value.MessageId, received.MessageId);
        Assert.Equal(1, received.DequeueCount);
        Assert.NotNull(received.InsertedOn);
        Assert.NotNull(received.NextVisibleOn);
    }

    [Fact]
    public async Task None_encoding_sends_xml_escaped_text_as_is()
    {
        const string text = "plain <xml> & \"quotes\" 'apos' ü";
        await _raw.SendMessageAsync(text);
        var received = Assert.Single((await _raw.ReceiveMessagesAsync()).Value);
        Assert.Equal(text, received.MessageText);
    }

    [Fact]
    public async Task Initial_visibility_delay_hides_the_message_until_it_passes()
    {
        var sent = await _queue.SendMessageAsync("later", visibilityTimeout: TimeSpan.FromSeconds(2));
        Assert.True(sent.Value.TimeNextVisible > sent.Value.InsertionTime);
        Assert.Empty((await _queue.ReceiveMessagesAsync()).Value);
        Assert.Empty((await _queue.PeekMessagesAsync()).Value);

        var message = await ReceiveWithinAsync(_queue, TimeSpan.FromSeconds(15));
        Assert.Equal("later", message.MessageText);
    }

    [Fact]
    public async Task Time_to_live_is_accepted_including_never_expire()
    {
        var hour = await _queue.SendMessageAsync("hour", timeToLive: TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromHours(1), hour.Value.ExpirationTime - hour.Value.InsertionTime);

        var forever = await _queue.SendMessageAsync("forever", timeToLive: TimeSpan.FromSeconds(-1));
        Assert.True(forever.Value.ExpirationTime > DateTimeOffset.UtcNow.AddYears(100));

        var texts = (await _queue.ReceiveMessagesAsync(maxMessages: 10)).Value.Select(m => m.MessageText);
        Assert.Equal(["forever", "hour"], texts.Order());
    }

    [Fact]
    public async Task Received_message_is_hidden_then_reappears_with_dequeue_count_two()
    {
        await _queue.SendMessageAsync("retry me");
        var first = Assert.Single((await _queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(1))).Value);
        Assert.Equal(1, first.DequeueCount);
        Assert.Empty((await _queue.ReceiveMessagesAsync()).Value);

        var again = await ReceiveWithinAsync(_queue, TimeSpan.FromSeconds(15));
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(2, again.DequeueCount);
        Assert.NotEqual(first.PopReceipt, again.PopReceipt);
    }

    [Fact]
    public async Task Delete_by_pop_receipt_and_404_once_the_receipt_is_stale()
    {
        await _queue.SendMessageAsync("delete me");
        var message = Assert.Single((await _queue.ReceiveMessagesAsync()).Value);
        Assert.Equal(204, (await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt)).Status);
        Assert.Equal(0, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        // Once the message is gone its receipt is stale: 404 MessageNotFound.
        var gone = await Assert.ThrowsAsync<RequestFailedException>(() => _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt));
        Assert.Equal(404, gone.Status);
        Assert.Equal("MessageNotFound", gone.ErrorCode);
    }

    [Fact]
    public async Task Update_by_pop_receipt_changes_text_and_visibility_and_supersedes_the_old_receipt()
    {
        await _queue.SendMessageAsync("v1");
        var message = Assert.Single((await _queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromMinutes(5))).Value);

        var update = await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, "v2 ü", TimeSpan.Zero);
        Assert.Equal(204, update.GetRawResponse().Status);
        Assert.False(string.IsNullOrEmpty(update.Value.PopReceipt));
        Assert.NotEqual(message.PopReceipt, update.Value.PopReceipt);
        Assert.NotEqual(default, update.Value.NextVisibleOn);

        // The message still exists, so a superseded receipt is a mismatch (400), not "not found" (404).
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt));
        Assert.Equal(400, stale.Status);
        Assert.Equal("PopReceiptMismatch", stale.ErrorCode);

        var again = Assert.Single((await _queue.ReceiveMessagesAsync()).Value);
        Assert.Equal("v2 ü", again.MessageText);
        Assert.Equal(2, again.DequeueCount);

        // Visibility only: keeps the text, hides it for longer (a "lease extension").
        var hidden = await _queue.UpdateMessageAsync(again.MessageId, again.PopReceipt, visibilityTimeout: TimeSpan.FromMinutes(5));
        Assert.True(hidden.Value.NextVisibleOn > DateTimeOffset.UtcNow.AddMinutes(4));
        Assert.Empty((await _queue.ReceiveMessagesAsync()).Value);
        Assert.Equal(204, (await _queue.DeleteMessageAsync(again.MessageId, hidden.Value.PopReceipt)).Status);
    }

    [Fact]
    public async Task Peek_does_not_dequeue_and_properties_count_messages()
    {
        foreach (var text in new[] { "a", "b", "c" }) await _queue.SendMessageAsync(text);
        Assert.Equal(3, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        var peeked = (await _queue.PeekMessagesAsync(maxMessages: 32)).Value;
        Assert.Equal(["a", "b", "c"], peeked.Select(p => p.MessageText));
        Assert.All(peeked, p => Assert.Equal(0, p.DequeueCount));
        Assert.All(peeked, p => Assert.NotNull(p.ExpiresOn));

        var received = (await _queue.ReceiveMessagesAsync(maxMessages: 2)).Value;
        Assert.Equal(2, received.Length);
        Assert.Equal(3, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        Assert.Equal(204, (await _queue.ClearMessagesAsync()).Status);
        Assert.Equal(0, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    /// <summary>Polls until a message is visible: waiting on the service's clock, not a fixed sleep.</summary>
    private static async Task<QueueMessage> ReceiveWithinAsync(QueueClient queue, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            var messages = (await queue.ReceiveMessagesAsync()).Value;
            if (messages.Length > 0) return Assert.Single(messages);
            await Task.Delay(250);
        }

        throw new TimeoutException($"No message became visible within {limit}.");
    }
}
