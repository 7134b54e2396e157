using Azure.Core;
using Azure.Core.Pipeline;

namespace CoachFunctions.Benchmarks;

/// <summary>
/// Counts the HTTP requests a set of storage clients sends, retries included: each one is a billed
/// storage transaction (a page of a query, a point read, a write, or a whole entity-group batch).
/// </summary>
public sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private long _reads;
    private long _writes;

    public long Reads => Interlocked.Read(ref _reads);
    public long Writes => Interlocked.Read(ref _writes);
    public long Total => Reads + Writes;

    public override void OnSendingRequest(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Get) Interlocked.Increment(ref _reads);
        else Interlocked.Increment(ref _writes);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _writes, 0);
    }
}
