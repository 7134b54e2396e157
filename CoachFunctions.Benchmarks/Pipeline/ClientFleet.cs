using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace CoachFunctions.Benchmarks.Pipeline;

/// <summary>A push as a client received it: which user, which prompt (and what it replies to), when it was sent and received (UTC ticks).</summary>
public sealed record Push(string UserId, string PromptId, string? ReplyTo, long SentAtTicks, long ReceivedAtTicks);

/// <summary>The parent's side of <see cref="ClientsProcess"/>: starts it, sends commands, collects every push it reports.</summary>
public sealed class ClientFleet : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _answers = Channel.CreateUnbounded<string>();
    private readonly Task _reader;
    private readonly Task _errors;

    public ConcurrentQueue<Push> Pushes { get; } = new();

    private ClientFleet(Process process)
    {
        _process = process;
        _reader = Task.Run(ReadAsync);
        _errors = Task.Run(async () =>
        {
            string? line;
            var shown = 0;
            while ((line = await _process.StandardError.ReadLineAsync()) is not null)
                if (shown++ < 20) Console.Error.WriteLine($"  [clients] {line}");
        });
    }

    public int ProcessId => _process.Id;

    public static ClientFleet Start(string signalRConnectionString)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // `dotnet CoachFunctions.Benchmarks.dll` when run through dotnet; the apphost otherwise.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ClientFleet).Assembly.Location);
        start.ArgumentList.Add("clients");
        start.Environment[ClientsProcess.ConnectionVariable] = signalRConnectionString;
        start.Environment["DOTNET_gcServer"] = "0";
        return new ClientFleet(Process.Start(start) ?? throw new InvalidOperationException("The clients process did not start."));
    }

    /// <summary>Connects <paramref name="count"/> clients, users PREFIX{index:D6} from <paramref name="from"/>.</summary>
    public async Task<(int Ok, int Failed, TimeSpan Elapsed)> ConnectAsync(string prefix, int from, int count, int parallelism, CancellationToken ct)
    {
        var answer = await AskAsync($"connect {prefix} {from} {count} {parallelism}", "connected", ct);
        return (int.Parse(answer[1], CultureInfo.InvariantCulture), int.Parse(answer[2], CultureInfo.InvariantCulture),
            TimeSpan.FromMilliseconds(double.Parse(answer[3], CultureInfo.InvariantCulture)));
    }

    public async Task<(int Open, int Dropped, int Failed)> StatusAsync(CancellationToken ct)
    {
        var answer = await AskAsync("status", "status", ct);
        return (int.Parse(answer[1], CultureInfo.InvariantCulture), int.Parse(answer[2], CultureInfo.InvariantCulture), int.Parse(answer[3], CultureInfo.InvariantCulture));
    }

    /// <summary>The clients process's resident memory, from /proc (Linux).</summary>
    public long ResidentBytes => Memory.ResidentBytes(_process.Id);

    private async Task<string[]> AskAsync(string command, string reply, CancellationToken ct)
    {
        await _process.StandardInput.WriteLineAsync(command.AsMemory(), ct);
        await _process.StandardInput.FlushAsync(ct);
        while (true)
        {
            var line = await _answers.Reader.ReadAsync(ct);
            var parts = line.Split(' ');
            if (parts[0] == reply) return parts;
        }
    }

    private async Task ReadAsync()
    {
        string? line;
        while ((line = await _process.StandardOutput.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("recv ", StringComparison.Ordinal))
            {
                var p = line.Split(' ');
                Pushes.Enqueue(new Push(p[1], p[2], p[3] == "-" ? null : p[3], long.Parse(p[4], CultureInfo.InvariantCulture), long.Parse(p[5], CultureInfo.InvariantCulture)));
            }
            else
            {
                _answers.Writer.TryWrite(line);
            }
        }
        _answers.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await _process.StandardInput.WriteLineAsync("quit".AsMemory(), timeout.Token);
                await _process.StandardInput.FlushAsync(timeout.Token);
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            if (!_process.HasExited) _process.Kill();
        }
        await Task.WhenAll(_reader, _errors);
        _process.Dispose();
    }
}

/// <summary>Resident memory of a process from /proc/PID/status (VmRSS), and of this one.</summary>
public static class Memory
{
    public static long ResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        return 0;
    }

    public static long SelfResidentBytes => ResidentBytes(Environment.ProcessId);

    public static int OpenFileDescriptors(int pid)
    {
        try { return Directory.GetFiles($"/proc/{pid}/fd").Length; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return -1; }
    }
}
