using Azure.Core;
using Azure.Core.Pipeline;

namespace CoachFunctions.Storage;

/// <summary>Builds the Azure.Core pipeline shared by the table and queue clients.</summary>
internal static class StoragePipeline
{
    /// <summary>Entra ID scope for data-plane access to every storage service.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    public static HttpPipeline FromConnectionString(StorageConnectionString connection, StorageClientOptions options, StorageServiceKind kind)
    {
        HttpPipelinePolicy auth = connection.AccountKey is { } key
            ? new StorageSharedKeyPolicy(connection.AccountName, key, kind)
            : new StorageSasPolicy(connection.SharedAccessSignature!);
        return Build(options, auth);
    }

    public static HttpPipeline FromCredential(TokenCredential credential, StorageClientOptions options) =>
        Build(options, new BearerTokenAuthenticationPolicy(credential, StorageScope));

    private static HttpPipeline Build(StorageClientOptions options, HttpPipelinePolicy auth)
    {
        var pipelineOptions = new HttpPipelineOptions(options)
        {
            RequestFailedDetailsParser = StorageErrorParser.Instance,
        };
        // Date before auth: the signature covers it, and both must be fresh on each retry.
        pipelineOptions.PerRetryPolicies.Add(new StorageDatePolicy());
        pipelineOptions.PerRetryPolicies.Add(auth);
        return HttpPipelineBuilder.Build(pipelineOptions);
    }
}
