using System.Net;
using System.Net.Sockets;

namespace CoachFunctions.LocalHost;

internal static class FreePort
{
    /// <summary>A loopback port free right now (the OS picks it); a small race with other processes is accepted.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
