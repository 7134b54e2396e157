using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using CoachFunctions.Storage;
using CoachFunctions.Tests.Generation;
using CoachFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CoachFunctions.Tests.Storage;

/// <summary>
/// Storage on identity alone, as in Azure: the table and queue clients built from service URIs and a
/// credential (what AzureWebJobsStorage__accountName/__clientId give) send the credential's token as
/// <c>Authorization: Bearer</c> for the storage scope, and no account key. The "service" is a fake
/// on loopback; the SDK requires https for bearer tokens, so the clients are given https URIs and a
/// last policy (after the SDK's authentication) turns each request into plain http to the fake.
/// </summary>
public sealed class StorageIdentityPathTests : IAsyncLifetime
{
    private LoopbackServer _storage = null!;

    public async Task InitializeAsync() => _storage = await LoopbackServer.StartAsync(async http =>
    {
        if (http.Request.Path.Value!.StartsWith("/UserData()", StringComparison.Ordinal))
        {
            http.Response.ContentType = "application/json;odata=nometadata";
            await http.Response.WriteAsync("""{"value":[]}""");
            return;
        }
        // Queue GetProperties (?comp=metadata): its count header is all the client reads.
        http.Response.Headers["x-ms-approximate-messages-count"] = "0";
    });

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Tables_and_queues_send_the_identitys_bearer_token_for_the_storage_scope()
    {
        var credential = new FixedTokenCredential("storage-entra-token");
        var https = new Uri($"https://127.0.0.1:{_storage.BaseAddress.Port}/");
        var clients = new StorageClients(https, https, credential, QueueMessageEncoding.Base64, new ToPlainHttp());

        await foreach (var _ in clients.Table(StorageNames.UserDataTable).QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "alice")) { }
        await clients.Queue(StorageNames.DetectionsQueue).GetPropertiesAsync();

        Assert.Equal(2, _storage.Requests.Count);
        Assert.StartsWith("/UserData()", _storage.Requests[0].Path);
        Assert.Equal("/" + StorageNames.DetectionsQueue, _storage.Requests[1].Path);
        Assert.All(_storage.Requests, r =>
        {
            Assert.Equal("Bearer storage-entra-token", r.Headers["Authorization"]);
            Assert.True(r.Headers.ContainsKey("x-ms-version"));
        });
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes.Distinct());
    }

    /// <summary>Runs after the SDK's authentication policy: the request goes to the same port over http.</summary>
    private sealed class ToPlainHttp : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => message.Request.Uri.Scheme = "http";
    }
}
