namespace CoachFunctions.Hosting;

/// <summary>
/// Which host the app plays. Functions: the Functions host started us as its custom handler and
/// owns triggers and bindings. Local: we also play the host and SignalR Service (architecture decision 2).
/// </summary>
public enum HostMode
{
    Local,
    Functions,
}

public static class HostModes
{
    public const string PortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";
    public const string LocalPort = "7071";

    public static HostMode From(IConfiguration configuration) =>
        string.IsNullOrEmpty(configuration[PortSetting]) ? HostMode.Local : HostMode.Functions;
}
