namespace CoachFunctions.LocalHost.Workers;

/// <summary>The host version announced to the worker: a 4.x Functions host, which the .NET worker 2.x expects.</summary>
internal static class HostVersion
{
    public const string Value = "4.1040.0";
}
