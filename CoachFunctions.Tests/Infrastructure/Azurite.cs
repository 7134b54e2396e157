using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CoachFunctions.Tests.Infrastructure;

/// <summary>
/// One real Azurite process per test run, in memory, on free loopback ports. Started from the
/// repository's node_modules (installed by the test command from package-lock.json), or reused when
/// COACH_TEST_STORAGE names a running emulator.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Azurite? s_shared;
    private readonly Process? _process;

    private Azurite(string connectionString, Process? process)
    {
        ConnectionString = connectionString;
        _process = process;
    }

    public string ConnectionString { get; }

    public static async Task<Azurite> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (s_shared is not null) return s_shared;
            var existing = Environment.GetEnvironmentVariable("COACH_TEST_STORAGE");
            s_shared = string.IsNullOrEmpty(existing) ? await StartAsync() : new Azurite(existing, null);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => s_shared?._process?.Kill(entireProcessTree: true);
            return s_shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A separate emulator of one's own, for tests that must see only their own rows (dispose it).</summary>
    /// <param name="checkApiVersion">
    /// Keep Azurite's check that refuses API versions newer than it knows: proves the app's clients
    /// speak a version the emulator (and so the pin in StorageClients) accepts without --skipApiVersionCheck.
    /// </param>
    public static Task<Azurite> StartDedicatedAsync(bool checkApiVersion = false) => StartAsync(checkApiVersion);

    private static async Task<Azurite> StartAsync(bool checkApiVersion = false)
    {
        var root = RepositoryRoot();
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed at {script}: run 'npm ci' in {root} (the test command does).");

        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "--inMemoryPersistence", "--silent", "--disableTelemetry", "--loose",
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", blob.ToString(), "--queuePort", queue.ToString(), "--tablePort", table.ToString() })
            psi.ArgumentList.Add(arg);
        if (!checkApiVersion) psi.ArgumentList.Add("--skipApiVersionCheck");
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await CanConnect(queue) && await CanConnect(table)))
        {
            if (process.HasExited) throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}.");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Azurite did not open its ports within 60 s.");
            await Task.Delay(100);
        }

        var cs = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
                 $"BlobEndpoint=http://127.0.0.1:{blob}/{AccountName};QueueEndpoint=http://127.0.0.1:{queue}/{AccountName};" +
                 $"TableEndpoint=http://127.0.0.1:{table}/{AccountName};";
        return new Azurite(cs, process);
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CoachFunctions.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CoachFunctions.sln not found above the test binaries.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _process?.Kill(entireProcessTree: true);
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
