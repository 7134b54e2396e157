namespace CoachFunctions.LocalHost.Workers;

/// <summary>No worker is connected, or its stream broke while a request to it was outstanding.</summary>
public sealed class WorkerUnavailableException(string message) : Exception(message);
