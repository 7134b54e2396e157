using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using CoachFunctions.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CoachFunctions.Benchmarks.Pipeline;

/// <summary>
/// The SignalR clients, in a process of their own (<c>CoachFunctions.Benchmarks clients</c>) so that
/// the host process's memory, sockets and file descriptors are its own. Each client is the official
/// .NET client (Microsoft.AspNetCore.SignalR.Client) connected to the stand-in's hub with a client
/// token minted from the stand-in's access key (what negotiate hands out), one user each.
/// Commands on stdin, one a line; answers and every received push on stdout:
/// <code>
/// connect PREFIX FROM COUNT PARALLELISM  → connected OK FAILED MILLISECONDS
/// status                                 → status OPEN DROPPED FAILED
/// quit                                   → bye OPEN DROPPED FAILED
/// (any time)                             → recv USER PROMPT REPLYTO|- SENT_AT_TICKS RECEIVED_AT_TICKS
/// </code>
/// </summary>
public static class ClientsProcess
{
    public const string ConnectionVariable = "COACH_BENCH_SIGNALR";

    public static async Task<int> RunAsync()
    {
        var endpoint = new SignalRServiceEndpoint(Environment.GetEnvironmentVariable(ConnectionVariable)
                                                  ?? throw new InvalidOperationException($"{ConnectionVariable} is not set."));
        var hubUrl = new Uri(endpoint.ClientUrl(CoachingHub.Name));
        var output = Channel.CreateUnbounded<string>();
        var writer = Task.Run(async () =>
        {
            var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
            await foreach (var line in output.Reader.ReadAllAsync())
            {
                await stdout.WriteLineAsync(line);
                if (output.Reader.Count == 0) await stdout.FlushAsync();
            }
            await stdout.FlushAsync();
        });
        // One connection pool for every client's negotiate request: otherwise each client keeps its own
        // idle HTTP connection beside its WebSocket, doubling the sockets on both sides for a minute.
        var shared = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
        var connections = new ConcurrentBag<HubConnection>();
        int open = 0, dropped = 0, failed = 0, quitting = 0;

        string? command;
        while ((command = await Console.In.ReadLineAsync()) is not null)
        {
            var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;
            switch (parts[0])
            {
                case "connect":
                {
                    var prefix = parts[1];
                    var from = int.Parse(parts[2], CultureInfo.InvariantCulture);
                    var count = int.Parse(parts[3], CultureInfo.InvariantCulture);
                    var parallelism = int.Parse(parts[4], CultureInfo.InvariantCulture);
                    int ok = 0, bad = 0;
                    var started = Stopwatch.StartNew();
                    await Parallel.ForEachAsync(Enumerable.Range(from, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (index, _) =>
                    {
                        var userId = $"{prefix}{index:D6}";
                        var connection = new HubConnectionBuilder()
                            .WithUrl(hubUrl, o =>
                            {
                                o.AccessTokenProvider = () => Task.FromResult<string?>(endpoint.MintClientToken(CoachingHub.Name, userId, DateTimeOffset.UtcNow));
                                o.HttpMessageHandlerFactory = _ => new SharedHandler(shared);
                            })
                            .Build();
                        connection.On<JsonElement>(CoachingHub.PromptTarget, prompt =>
                        {
                            var receivedAt = DateTimeOffset.UtcNow.UtcTicks;
                            var id = prompt.GetProperty("id").GetString();
                            var replyTo = prompt.TryGetProperty("replyTo", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : "-";
                            var sentAt = prompt.TryGetProperty("sentAt", out var s) && s.ValueKind == JsonValueKind.String ? s.GetDateTimeOffset().UtcTicks : 0;
                            output.Writer.TryWrite($"recv {userId} {id} {replyTo} {sentAt} {receivedAt}");
                        });
                        connection.Closed += _ =>
                        {
                            if (Volatile.Read(ref quitting) == 0)
                            {
                                Interlocked.Increment(ref dropped);
                                Interlocked.Decrement(ref open);
                            }
                            return Task.CompletedTask;
                        };
                        try
                        {
                            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                            await connection.StartAsync(timeout.Token);
                            connections.Add(connection);
                            Interlocked.Increment(ref open);
                            Interlocked.Increment(ref ok);
                        }
                        catch (Exception e) when (e is not OutOfMemoryException)
                        {
                            Interlocked.Increment(ref bad);
                            Interlocked.Increment(ref failed);
                            await Console.Error.WriteLineAsync($"connect {userId} failed: {e.GetType().Name}: {e.Message}");
                            await connection.DisposeAsync();
                        }
                    });
                    output.Writer.TryWrite($"connected {ok} {bad} {started.ElapsedMilliseconds}");
                    break;
                }
                case "status":
                    output.Writer.TryWrite($"status {Volatile.Read(ref open)} {Volatile.Read(ref dropped)} {Volatile.Read(ref failed)}");
                    break;
                case "quit":
                    var final = $"bye {Volatile.Read(ref open)} {Volatile.Read(ref dropped)} {Volatile.Read(ref failed)}";
                    Volatile.Write(ref quitting, 1);
                    await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) => await c.DisposeAsync());
                    output.Writer.TryWrite(final);
                    output.Writer.Complete();
                    await writer;
                    return 0;
            }
        }
        output.Writer.Complete();
        await writer;
        return 0;
    }

    /// <summary>The shared handler, not disposed when one client's HttpClient is.</summary>
    private sealed class SharedHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing) { }
    }
}
