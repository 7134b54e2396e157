using CoachFunctions.Storage;
using Xunit;

namespace CoachFunctions.Tests.Storage;

/// <summary>The TokenCredential constructors: Entra ID bearer tokens for the storage scope, no Shared Key.</summary>
public class TokenCredentialAuthTests
{
    [Fact]
    public async Task TableClient_sends_bearer_token_for_storage_scope()
    {
        var transport = new FakeStorageTransport(status: 204, headers: ("ETag", "W/\"datetime'2025-01-01T00%3A00%3A00Z'\""));
        var credential = new FakeTokenCredential("table-token");
        var client = new TableClient(new Uri("https://acct.table.core.windows.net"), "orders", credential,
            new StorageClientOptions { Transport = transport });

        var response = await client.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 1 });

        var request = Assert.Single(transport.Requests);
        Assert.Equal("Bearer table-token", request.Headers["Authorization"]);
        Assert.Equal("MERGE", request.Method);
        Assert.Equal("/orders(PartitionKey='p',RowKey='r')", request.Uri.AbsolutePath);
        Assert.True(request.Headers.ContainsKey("x-ms-date"));
        Assert.Equal(StorageClientOptions.DefaultTableServiceVersion, request.Headers["x-ms-version"]);
        Assert.Equal(["https://storage.azure.com/.default"], Assert.Single(credential.RequestedScopes));
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task QueueClient_sends_bearer_token_for_storage_scope()
    {
        var transport = new FakeStorageTransport(status: 200, headers: ("x-ms-approximate-messages-count", "3"));
        var credential = new FakeTokenCredential("queue-token");
        var client = new QueueClient(new Uri("https://acct.queue.core.windows.net/"), "jobs", credential,
            new QueueClientOptions { Transport = transport });

        var properties = await client.GetPropertiesAsync();

        var request = Assert.Single(transport.Requests);
        Assert.Equal("Bearer queue-token", request.Headers["Authorization"]);
        Assert.Equal("https://acct.queue.core.windows.net/jobs?comp=metadata", request.Uri.AbsoluteUri);
        Assert.Equal(["https://storage.azure.com/.default"], Assert.Single(credential.RequestedScopes));
        Assert.Equal(3, properties.Value.ApproximateMessagesCount);
    }
}
