using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace CoachFunctions.Storage;

/// <summary>NullableResponse without a value: Azure.Core has no public factory for one.</summary>
internal sealed class NoValueResponse<T>(Response response) : NullableResponse<T>
{
    public override bool HasValue => false;

    public override T Value => throw new InvalidOperationException(
        $"The response has no value (status {response.Status}). Check HasValue first.");

    public override Response GetRawResponse() => response;
}

/// <summary>
/// A response parsed out of a multipart batch answer, so each action of an entity group
/// transaction can be handed back as an ordinary Azure.Response (status, headers, ETag, body).
/// </summary>
internal sealed class StorageSubResponse : Response
{
    private readonly List<HttpHeader> _headers;

    public StorageSubResponse(int status, string reasonPhrase, IEnumerable<HttpHeader> headers, byte[] body)
    {
        Status = status;
        ReasonPhrase = reasonPhrase;
        _headers = headers.ToList();
        ContentStream = new MemoryStream(body, writable: false);
        ClientRequestId = TryGetHeader("x-ms-client-request-id", out var id) ? id : "";
    }

    public override int Status { get; }
    public override string ReasonPhrase { get; }
    public override Stream? ContentStream { get; set; }
    public override string ClientRequestId { get; set; }
    public override bool IsError => Status >= 400;

    public override void Dispose() => ContentStream?.Dispose();

    protected override bool ContainsHeader(string name) => _headers.Any(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers;

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        var values = _headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        value = values.Count == 0 ? null : string.Join(",", values);
        return value is not null;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        var found = _headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        values = found.Count == 0 ? null : found;
        return values is not null;
    }
}

/// <summary>Helpers shared by the clients for sending a message and turning failures into RequestFailedException.</summary>
internal static class StorageResponse
{
    public static RequestFailedException Failure(Response response) =>
        new(response, null, StorageErrorParser.Instance);

    /// <summary>Returns the response when its status is one of <paramref name="expected"/>, else throws RequestFailedException.</summary>
    public static Response Expect(Response response, params int[] expected) =>
        expected.Contains(response.Status) ? response : throw Failure(response);

    public static string? ErrorCode(Response response) =>
        StorageErrorParser.Instance.TryParse(response, out var error, out _) ? error?.Code : null;
}
