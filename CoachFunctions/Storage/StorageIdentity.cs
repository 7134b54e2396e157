using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace CoachFunctions.Storage;

/// <summary>
/// The identity-based form of <c>AzureWebJobsStorage</c>, with the names the Functions host reads:
/// <c>__tableServiceUri</c> and <c>__queueServiceUri</c>, or <c>__accountName</c> for the public
/// cloud's endpoints; <c>__credential=managedidentity</c> and <c>__clientId</c> choose the identity.
/// </summary>
public sealed record StorageIdentity(Uri TableServiceUri, Uri QueueServiceUri, string? Credential, string? ClientId)
{
    /// <summary>The settings under <paramref name="section"/>, or null when it names no service endpoint.</summary>
    public static StorageIdentity? Read(IConfigurationSection section)
    {
        var account = Value(section, "accountName");
        var table = Value(section, "tableServiceUri") ?? (account is null ? null : $"https://{account}.table.core.windows.net");
        var queue = Value(section, "queueServiceUri") ?? (account is null ? null : $"https://{account}.queue.core.windows.net");
        if (table is null && queue is null) return null;
        if (table is null || queue is null)
            throw new InvalidOperationException(
                $"'{section.Path}__{(table is null ? "tableServiceUri" : "queueServiceUri")}' is missing: the app uses both tables and queues " +
                $"(or set '{section.Path}__accountName').");
        return new StorageIdentity(Absolute(section, "tableServiceUri", table), Absolute(section, "queueServiceUri", queue),
            Value(section, "credential"), Value(section, "clientId"));
    }

    /// <summary>
    /// A user-assigned managed identity when a client id is given; the system-assigned one for
    /// <c>credential=managedidentity</c>; otherwise DefaultAzureCredential (a developer's az login,
    /// or managed identity in Azure), as the Functions host does.
    /// </summary>
    public TokenCredential CreateCredential()
    {
        if (ClientId is not null) return new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(ClientId));
        if (string.Equals(Credential, "managedidentity", StringComparison.OrdinalIgnoreCase)) return new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
        return new DefaultAzureCredential();
    }

    private static string? Value(IConfigurationSection section, string key) =>
        section[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static Uri Absolute(IConfigurationSection section, string key, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri
            : throw new InvalidOperationException($"'{section.Path}__{key}' must be an absolute http(s) URI, got '{value}'.");
}
