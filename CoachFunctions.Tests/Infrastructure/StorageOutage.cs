using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of an Azurite's queue and table ports, which a test can take down
/// and bring back: down, every connection, open or new, is reset at once, as when the emulator (or
/// the network to a storage account) goes away; up again, as when it returns. The ports stay bound
/// throughout: a port let go during the outage can be taken meanwhile (on loopback, even by a
/// client's own connection to it, which Linux can connect to itself), and the relay could not come
/// back on it.
/// Give the app <see cref="ConnectionString"/> instead of the emulator's.
/// </summary>
public sealed partial class StorageOutage : IAsyncDisposable
{
    private readonly List<Relay> _relays = [];

    public StorageOutage(Azurite azurite)
    {
        var connection = azurite.ConnectionString;
        foreach (var service in new[] { "Queue", "Table" })
        {
            var match = Regex.Match(connection, $@"{service}Endpoint=http://127\.0\.0\.1:(\d+)/");
            var relay = new Relay(int.Parse(match.Groups[1].Value));
            _relays.Add(relay);
            connection = connection.Replace(match.Value, $"{service}Endpoint=http://127.0.0.1:{relay.Port}/");
        }
        ConnectionString = connection;
        foreach (var relay in _relays) relay.Start();
    }

    public string ConnectionString { get; }

    public bool IsDown { get; private set; }

    public void TakeDown()
    {
        IsDown = true;
        foreach (var relay in _relays) relay.Down = true;
    }

    public void BringBack()
    {
        foreach (var relay in _relays) relay.Down = false;
        IsDown = false;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var relay in _relays) relay.Stop();
        return ValueTask.CompletedTask;
    }

    private sealed class Relay(int target)
    {
        private readonly ConcurrentDictionary<Socket, byte> _open = new();
        private TcpListener? _listener;
        private volatile bool _down;

        /// <summary>Down: open connections are reset now, and new ones as soon as they are accepted.</summary>
        public bool Down
        {
            set
            {
                _down = value;
                if (value) ResetOpen();
            }
        }

        public int Port { get; } = Azurite.FreePort();

        public void Start()
        {
            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            _ = AcceptAsync(listener);
        }

        public void Stop()
        {
            _listener?.Stop();
            _listener = null;
            ResetOpen();
        }

        private void ResetOpen()
        {
            foreach (var socket in _open.Keys)
            {
                Reset(socket);
                _open.TryRemove(socket, out _);
            }
        }

        private static void Reset(Socket socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0); // reset, not a polite close
                socket.Close();
            }
            catch (ObjectDisposedException) { }
        }

        private async Task AcceptAsync(TcpListener listener)
        {
            while (true)
            {
                Socket client;
                try { client = await listener.AcceptSocketAsync(); }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
                if (_down) Reset(client);
                else _ = RelayAsync(client);
            }
        }

        private async Task RelayAsync(Socket client)
        {
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _open[client] = 0;
            _open[server] = 0;
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, target);
                await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException) { }
            finally
            {
                foreach (var socket in new[] { client, server })
                {
                    _open.TryRemove(socket, out _);
                    socket.Dispose();
                }
            }
        }

        private static async Task PumpAsync(Socket from, Socket to)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        }
    }
}
