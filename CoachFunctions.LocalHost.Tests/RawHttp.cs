using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CoachFunctions.LocalHost.Tests;

/// <summary>
/// HTTP/1.1 over a bare socket, for requests HttpClient will not send (a declared body that never comes,
/// broken chunking, oversized heads) and to read the answer deterministically: the server answers before
/// the body, so no test races the server closing a connection on a body still being written.
/// </summary>
internal static class RawHttp
{
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    public static async Task<Answer> SendAsync(Uri server, string head, byte[]? body = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var socket = new TcpClient();
        await socket.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n")), timeout.Token);
        if (body is not null) await stream.WriteAsync(body, timeout.Token);

        var received = new MemoryStream();
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) throw new IOException($"The connection closed after {received.Length} bytes, before a complete response head.");
            received.Write(buffer, 0, read);
        }
        var lines = Encoding.ASCII.GetString(received.GetBuffer(), 0, headEnd).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var chunked = headers.TryGetValue("Transfer-Encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text) : 0;
        while (chunked ? IndexOf(received, "\r\n0\r\n\r\n"u8, headEnd + 2) < 0 && !EmptyChunked(received, headEnd) : received.Length < headEnd + 4 + length)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) throw new IOException("The connection closed inside the response body.");
            received.Write(buffer, 0, read);
        }
        var raw = received.GetBuffer().AsSpan(headEnd + 4, (int)received.Length - headEnd - 4);
        return new Answer(status, headers, chunked ? Dechunk(raw) : Encoding.UTF8.GetString(raw[..length]));
    }

    private static bool EmptyChunked(MemoryStream received, int headEnd) =>
        received.GetBuffer().AsSpan(headEnd + 4, (int)received.Length - headEnd - 4).StartsWith("0\r\n\r\n"u8);

    private static string Dechunk(ReadOnlySpan<byte> raw)
    {
        var body = new MemoryStream();
        while (true)
        {
            var lineEnd = raw.IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(raw[..lineEnd]).Split(';')[0], 16);
            if (size == 0) return Encoding.UTF8.GetString(body.ToArray());
            body.Write(raw.Slice(lineEnd + 2, size));
            raw = raw[(lineEnd + 2 + size + 2)..];
        }
    }

    private static int IndexOf(MemoryStream stream, ReadOnlySpan<byte> value, int from = 0)
    {
        var at = stream.GetBuffer().AsSpan(from, (int)stream.Length - from).IndexOf(value);
        return at < 0 ? at : at + from;
    }
}
