using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CoachFunctions.Tests.Storage;

/// <summary>
/// The per-retry policy a caller hands StorageClients (the benchmark's counter is one): records every
/// attempt that goes on the wire. When <see cref="FailFirstAttempts"/> is set, that many attempts fail
/// with a transient I/O error before reaching the service, so the SDK's retry policy retries them.
/// </summary>
internal sealed class RequestRecorder : HttpPipelinePolicy
{
    private int _failuresLeft;

    public ConcurrentQueue<(string Method, string Path, string? Version)> Attempts { get; } = new();

    public int FailFirstAttempts { set => Volatile.Write(ref _failuresLeft, value); }

    public int Count => Attempts.Count;

    public void Clear() => Attempts.Clear();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        await ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message)
    {
        var request = message.Request;
        Attempts.Enqueue((request.Method.Method, request.Uri.Path, request.Headers.TryGetValue("x-ms-version", out var v) ? v : null));
        if (Interlocked.Decrement(ref _failuresLeft) >= 0) throw new IOException("Injected transient failure before the request left.");
    }
}
