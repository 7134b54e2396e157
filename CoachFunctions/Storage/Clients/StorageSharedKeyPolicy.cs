using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CoachFunctions.Storage;

/// <summary>Which Shared Key string-to-sign a service expects.</summary>
internal enum StorageServiceKind
{
    Table,
    Queue,
}

/// <summary>
/// Signs every attempt with the account key ("Authorization: SharedKey account:signature").
/// Runs per retry because the signature covers x-ms-date, which the date policy refreshes per attempt.
/// Full SharedKey (not SharedKeyLite) for both services: Azurite's Queue service rejects SharedKeyLite.
/// </summary>
internal sealed class StorageSharedKeyPolicy : HttpPipelineSynchronousPolicy
{
    private readonly string _accountName;
    private readonly byte[] _key;
    private readonly StorageServiceKind _kind;

    public StorageSharedKeyPolicy(string accountName, string accountKey, StorageServiceKind kind)
    {
        _accountName = accountName;
        _key = Convert.FromBase64String(accountKey);
        _kind = kind;
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var stringToSign = _kind == StorageServiceKind.Table ? TableStringToSign(request) : QueueStringToSign(request);
        request.Headers.SetValue(HttpHeader.Names.Authorization, $"SharedKey {_accountName}:{Sign(_key, stringToSign)}");
    }

    internal static string Sign(byte[] key, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>Table service: VERB, Content-MD5, Content-Type, Date (x-ms-date when no Date), CanonicalizedResource (with ?comp= only).</summary>
    private string TableStringToSign(Request request)
    {
        var date = Header(request, "Date");
        if (date.Length == 0) date = Header(request, "x-ms-date");
        var resource = CanonicalizedPath(request);
        var comp = QueryParameters(request).FirstOrDefault(p => p.Name == "comp");
        if (comp.Name is not null) resource += "?comp=" + comp.Value;
        return BuildTableStringToSign(request.Method.Method, Header(request, "Content-MD5"), Header(request, "Content-Type"), date, resource);
    }

    internal static string BuildTableStringToSign(string verb, string contentMd5, string contentType, string date, string canonicalizedResource) =>
        string.Join('\n', verb, contentMd5, contentType, date, canonicalizedResource);

    /// <summary>Blob/Queue/File form (2009-09-19+): twelve standard headers, canonicalized x-ms- headers, then the resource with every query parameter.</summary>
    private string QueueStringToSign(Request request)
    {
        // Content-Length is not a request header until the transport writes it, so take it from the content.
        // Since 2015-02-21 a zero length is signed as the empty string.
        var length = request.Content is not null && request.Content.TryComputeLength(out var l) && l > 0 ? l.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        var sb = new StringBuilder();
        sb.Append(request.Method.Method).Append('\n')
          .Append(Header(request, "Content-Encoding")).Append('\n')
          .Append(Header(request, "Content-Language")).Append('\n')
          .Append(length).Append('\n')
          .Append(Header(request, "Content-MD5")).Append('\n')
          .Append(Header(request, "Content-Type")).Append('\n')
          .Append(Header(request, "Date")).Append('\n')
          .Append(Header(request, "If-Modified-Since")).Append('\n')
          .Append(Header(request, "If-Match")).Append('\n')
          .Append(Header(request, "If-None-Match")).Append('\n')
          .Append(Header(request, "If-Unmodified-Since")).Append('\n')
          .Append(Header(request, "Range")).Append('\n');
        foreach (var header in request.Headers
                     .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Name.ToLowerInvariant(), Value: h.Value.Trim()))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
            sb.Append(header.Name).Append(':').Append(header.Value).Append('\n');
        sb.Append(CanonicalizedPath(request));
        foreach (var group in QueryParameters(request).GroupBy(p => p.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
            sb.Append('\n').Append(group.Key).Append(':').Append(string.Join(',', group.Select(p => p.Value).Order(StringComparer.Ordinal)));
        return sb.ToString();
    }

    /// <summary>
    /// "/account" followed by the encoded URI path as sent. With path-style endpoints (Azurite) the
    /// path already starts with the account, so it appears twice: /devstoreaccount1/devstoreaccount1/Tables.
    /// </summary>
    private string CanonicalizedPath(Request request)
    {
        var path = request.Uri.ToUri().AbsolutePath;
        return "/" + _accountName + (path.Length == 0 ? "/" : path);
    }

    /// <summary>Query parameters with lower-cased names and decoded values, as the signing rules require.</summary>
    private static IEnumerable<(string Name, string Value)> QueryParameters(Request request)
    {
        var query = request.Uri.Query.TrimStart('?');
        if (query.Length == 0) yield break;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            yield return (Uri.UnescapeDataString(name).ToLowerInvariant(), Uri.UnescapeDataString(value.Replace('+', ' ')));
        }
    }

    private static string Header(Request request, string name) =>
        request.Headers.TryGetValue(name, out var value) ? value : "";
}

/// <summary>Sets x-ms-date on every attempt: Shared Key signs it and the service rejects requests older than 15 minutes.</summary>
internal sealed class StorageDatePolicy : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue("x-ms-date", DateTimeOffset.UtcNow.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Appends a connection string's SAS token to every request URI.</summary>
internal sealed class StorageSasPolicy(string sas) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var uri = message.Request.Uri;
        // Per retry: only append once, the URI builder is reused across attempts.
        if (uri.Query.Contains("sig=", StringComparison.Ordinal)) return;
        uri.Query = uri.Query.Length > 1 ? uri.Query + "&" + sas : "?" + sas;
    }
}
