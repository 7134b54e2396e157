using Azure;
using CoachFunctions.Storage;
using Xunit;

namespace CoachFunctions.Tests.Storage;

/// <summary>Wire details Azurite does not exercise: the real service's XML byte order mark and SAS connection strings.</summary>
public class OfflineWireFormatTests
{
    private const string Bom = "\uFEFF";

    [Fact]
    public async Task Queue_xml_with_byte_order_mark_is_parsed()
    {
        var body = Bom + "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList><QueueMessage>" +
                   "<MessageId>id-1</MessageId><InsertionTime>Fri, 09 Oct 2009 21:04:30 GMT</InsertionTime>" +
                   "<ExpirationTime>Fri, 16 Oct 2009 21:04:30 GMT</ExpirationTime><PopReceipt>AgAAAA+/=</PopReceipt>" +
                   "<TimeNextVisible>Fri, 09 Oct 2009 23:29:20 GMT</TimeNextVisible><DequeueCount>3</DequeueCount>" +
                   "<MessageText>aMOpbGxv</MessageText></QueueMessage></QueueMessagesList>";
        var transport = new FakeStorageTransport(200, body);
        var queue = new QueueClient(new Uri("https://acct.queue.core.windows.net"), "jobs", new FakeTokenCredential("t"),
            new QueueClientOptions { Transport = transport });

        var message = Assert.Single((await queue.ReceiveMessagesAsync(maxMessages: 5, visibilityTimeout: TimeSpan.FromSeconds(30))).Value);

        Assert.Equal("héllo", message.MessageText);
        Assert.Equal("AgAAAA+/=", message.PopReceipt);
        Assert.Equal(3, message.DequeueCount);
        Assert.Equal(new DateTimeOffset(2009, 10, 9, 21, 4, 30, TimeSpan.Zero), message.InsertedOn);
        Assert.Equal("?numofmessages=5&visibilitytimeout=30", Assert.Single(transport.Requests).Uri.Query);
    }

    [Fact]
    public async Task Queue_xml_error_without_error_code_header_still_sets_error_code()
    {
        var body = Bom + "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>QueueBeingDeleted</Code><Message>Busy.</Message></Error>";
        var queue = new QueueClient(new Uri("https://acct.queue.core.windows.net"), "jobs", new FakeTokenCredential("t"),
            new QueueClientOptions { Transport = new FakeStorageTransport(409, body), Retry = { MaxRetries = 0 } });

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync("x"));

        Assert.Equal(409, e.Status);
        Assert.Equal("QueueBeingDeleted", e.ErrorCode);
    }

    [Fact]
    public async Task Sas_connection_string_appends_the_token_instead_of_signing()
    {
        var transport = new FakeStorageTransport(204);
        var table = new TableClient("TableEndpoint=https://acct.table.core.windows.net;SharedAccessSignature=sv=2019-02-02&tn=orders&sig=abc%3D",
            "orders", new StorageClientOptions { Transport = transport });

        await table.DeleteEntityAsync("p", "r");

        var request = Assert.Single(transport.Requests);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal("?sv=2019-02-02&tn=orders&sig=abc%3D", request.Uri.Query);
        Assert.Equal("*", request.Headers["If-Match"]);
    }
}
