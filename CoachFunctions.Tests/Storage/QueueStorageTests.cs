using System.Text;
using Azure;
using Azure.Storage.Queues;
using CoachFunctions.Storage;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Storage;

/// <summary>
/// The app's queue clients against Azurite: host.json's message encoding on the wire, the delays and
/// visibility changes the local host's queue trigger and the delivery scheduler rely on.
/// </summary>
public sealed class QueueStorageTests
{
    // Non-ASCII, XML-special and JSON-ish, as a serialized detection may be.
    private const string Text = "{\"note\":\"Grüße <&> 'quoted' 你好\"}";

    private static async Task<(StorageClients Clients, QueueClient Queue)> QueueAsync(QueueMessageEncoding encoding, string? name = null)
    {
        var azurite = await Azurite.SharedAsync();
        var clients = new StorageClients(azurite.ConnectionString, encoding);
        var queue = clients.Queue(name ?? $"q-{Guid.NewGuid():N}"[..30]);
        await queue.CreateIfNotExistsAsync();
        return (clients, queue);
    }

    [Theory]
    [InlineData(QueueMessageEncoding.Base64)]
    [InlineData(QueueMessageEncoding.None)]
    public async Task Text_round_trips_in_either_encoding(QueueMessageEncoding encoding)
    {
        var (_, queue) = await QueueAsync(encoding);

        await queue.SendMessageAsync(Text);
        var received = Assert.Single((await queue.ReceiveMessagesAsync(maxMessages: 32)).Value);

        Assert.Equal(Text, received.Body.ToString());
        Assert.Equal(1, received.DequeueCount);
    }

    [Fact]
    public async Task Base64_on_the_wire_is_base64_of_the_utf8_text_as_the_functions_host_decodes_it()
    {
        var (_, queue) = await QueueAsync(QueueMessageEncoding.Base64);
        var (_, raw) = await QueueAsync(QueueMessageEncoding.None, queue.Name);

        await queue.SendMessageAsync(Text);
        var wire = Assert.Single((await raw.PeekMessagesAsync(32)).Value).Body.ToString();

        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(Text)), wire);
    }

    [Fact]
    public async Task None_sends_the_text_itself()
    {
        var (_, queue) = await QueueAsync(QueueMessageEncoding.None);
        var (_, decoding) = await QueueAsync(QueueMessageEncoding.Base64, queue.Name);

        await queue.SendMessageAsync(Text);

        Assert.Equal(Text, Assert.Single((await queue.PeekMessagesAsync(32)).Value).Body.ToString());
        // A base64 reader cannot make sense of it: the two settings must agree, which is why both come from host.json.
        await Assert.ThrowsAnyAsync<FormatException>(() => decoding.PeekMessagesAsync(32));
    }

    [Fact]
    public async Task An_initial_visibility_delay_hides_the_message_for_that_long()
    {
        var (_, queue) = await QueueAsync(QueueMessageEncoding.Base64);

        var receipt = (await queue.SendMessageAsync(Text, visibilityTimeout: TimeSpan.FromMinutes(5))).Value;

        Assert.Empty((await queue.ReceiveMessagesAsync(maxMessages: 32)).Value);
        // The service's own instants, so the check holds on any date.
        Assert.InRange((receipt.TimeNextVisible - receipt.InsertionTime).TotalSeconds, 299, 301);
    }

    [Fact]
    public async Task A_failed_message_made_visible_again_comes_back_with_dequeue_count_two()
    {
        var (_, queue) = await QueueAsync(QueueMessageEncoding.Base64);
        await queue.SendMessageAsync(Text);

        var first = Assert.Single((await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromMinutes(10))).Value);
        Assert.Empty((await queue.ReceiveMessagesAsync(maxMessages: 32)).Value);
        // What QueueTriggerService does after a failure with host.json's visibilityTimeout of zero.
        await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt, visibilityTimeout: TimeSpan.Zero);

        var again = Assert.Single((await queue.ReceiveMessagesAsync(maxMessages: 32)).Value);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(2, again.DequeueCount);
        Assert.Equal(Text, again.Body.ToString());
    }

    [Fact]
    public async Task Delete_needs_the_latest_pop_receipt()
    {
        var (_, queue) = await QueueAsync(QueueMessageEncoding.Base64);
        await queue.SendMessageAsync(Text);
        var message = Assert.Single((await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromMinutes(10))).Value);
        var updated = (await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.FromMinutes(10))).Value;

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt));
        Assert.True(stale.Status is 400 or 404, $"status {stale.Status} {stale.ErrorCode}");

        await queue.DeleteMessageAsync(message.MessageId, updated.PopReceipt);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Queues_speak_the_pinned_api_version_and_tables_the_sdk_one()
    {
        var recorder = new RequestRecorder();
        var clients = new StorageClients((await Azurite.SharedAsync()).ConnectionString, QueueMessageEncoding.Base64, recorder);

        await clients.Queue($"q-{Guid.NewGuid():N}"[..30]).CreateIfNotExistsAsync();
        await clients.Table($"t{Guid.NewGuid():N}"[..20]).CreateIfNotExistsAsync();

        // Azure.Data.Tables 12.13 speaks 2020-12-06, which Azurite 3.37 knows; only queues need the pin.
        var versions = recorder.Attempts.Select(a => a.Version).ToList();
        Assert.Equal(["2026-06-06", "2020-12-06"], versions);
    }

    [Fact]
    public async Task Azurite_with_its_api_version_check_accepts_the_app_clients()
    {
        await using var strict = await Azurite.StartDedicatedAsync(checkApiVersion: true);
        var clients = new StorageClients(strict.ConnectionString, QueueMessageEncoding.Base64);
        var bootstrap = new StorageBootstrap(clients);

        await bootstrap.EnsureAsync(default);
        var queue = clients.Queue(StorageNames.DetectionsQueue);
        await queue.SendMessageAsync(Text);
        Assert.Equal(Text, Assert.Single((await queue.ReceiveMessagesAsync()).Value).Body.ToString());
        await clients.Table(StorageNames.UserDataTable).AddEntityAsync(new Azure.Data.Tables.TableEntity("strict", "row"));

        // The unpinned SDK default is what the emulator refuses: the pin is what makes the difference.
        var unpinned = new QueueClient(strict.ConnectionString, StorageNames.DetectionsQueue);
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => unpinned.PeekMessagesAsync());
        Assert.Equal(400, refused.Status);
    }
}
