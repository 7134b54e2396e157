using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CoachFunctions.Tests.Storage;

/// <summary>
/// A transport that never touches the network: records each request's method, URI and headers
/// and answers with a canned status/body, so pipeline behaviour (auth headers) can be asserted.
/// </summary>
internal sealed class FakeStorageTransport(int status = 204, string body = "", params (string Name, string Value)[] headers) : HttpPipelineTransport
{
    public List<RecordedRequest> Requests { get; } = [];

    // Requests are created by Azure.Core's own HttpClient-based request type; only sending is faked.
    public override Request CreateRequest() => HttpClientTransport.Shared.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message)
    {
        var request = message.Request;
        Requests.Add(new RecordedRequest(
            request.Method.Method,
            request.Uri.ToUri(),
            request.Headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase)));
        message.Response = new FakeResponse(status, body, headers);
        return ValueTask.CompletedTask;
    }

    internal sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers);

    private sealed class FakeResponse : Response
    {
        private readonly (string Name, string Value)[] _headers;

        public FakeResponse(int status, string body, (string Name, string Value)[] headers)
        {
            Status = status;
            _headers = headers;
            ContentStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
        }

        public override int Status { get; }
        public override string ReasonPhrase => "";
        public override Stream? ContentStream { get; set; }
        public override string ClientRequestId { get; set; } = "";
        public override void Dispose() => ContentStream?.Dispose();
        protected override bool ContainsHeader(string name) => _headers.Any(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Name, h.Value));

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = _headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
            return value is not null;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = TryGetHeader(name, out var value) ? [value] : null;
            return values is not null;
        }
    }
}

/// <summary>A TokenCredential that hands out a fixed token and remembers which scopes were asked for.</summary>
internal sealed class FakeTokenCredential(string token) : TokenCredential
{
    public List<string[]> RequestedScopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        RequestedScopes.Add(requestContext.Scopes);
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
