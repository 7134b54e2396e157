using System.Net.Sockets;
using Azure;

namespace CoachFunctions.Storage;

/// <summary>Tells "storage could not be reached" apart from everything else a storage call can throw.</summary>
public static class StorageFaults
{
    /// <summary>
    /// True for a request that got no answer: refused at once by the reachability gate, or failed in
    /// transport (Azure.Core reports those as <see cref="RequestFailedException"/> with status 0, or
    /// as an <see cref="AggregateException"/> of them once its retries are spent).
    /// </summary>
    public static bool IsUnreachable(Exception e) => e switch
    {
        StorageUnavailableException => true,
        RequestFailedException { Status: 0 } => true,
        HttpRequestException or SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnreachable),
        _ => false,
    };
}
