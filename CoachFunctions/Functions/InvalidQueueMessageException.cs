namespace CoachFunctions.Functions;

/// <summary>
/// A queue message no retry can fix. Thrown, it fails the invocation like any error, so the host
/// retries it up to maxDequeueCount times and then moves it to the poison queue, where it can be read.
/// </summary>
public sealed class InvalidQueueMessageException(string message) : Exception(message);
