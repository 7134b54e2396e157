using System.Runtime.InteropServices;
using CoachFunctions.LocalHost;

// dotnet CoachFunctions.LocalHost.dll --app <dir> [--port 7071] [--settings file] [--web <dir>] [--cors origin,origin] [--cors-credentials]
string? appDirectory = null, settingsFile = null, webRoot = null, cors = null;
bool? corsCredentials = null;
var port = 7071;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--app": appDirectory = Value(); break;
        case "--port": port = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--settings": settingsFile = Value(); break;
        case "--web": webRoot = Value(); break;
        case "--cors": cors = Value(); break;
        case "--cors-credentials": corsCredentials = true; break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: CoachFunctions.LocalHost --app <dir> [--port 7071] [--settings file] [--web <dir>] [--cors origin,origin] [--cors-credentials]");
            return 2;
    }
}
if (appDirectory is null)
{
    Console.Error.WriteLine("Usage: CoachFunctions.LocalHost --app <dir> [--port 7071] [--settings file] [--web <dir>] [--cors origin,origin] [--cors-credentials]");
    return 2;
}

using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true; // we stop ourselves, in order: triggers, worker, server
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

FunctionsLocalHost host;
try
{
    host = await FunctionsLocalHost.StartAsync(new LocalHostOptions
    {
        AppDirectory = appDirectory,
        ListenUrl = $"http://localhost:{port}",
        SettingsFile = settingsFile,
        WebRoot = webRoot,
        Cors = cors,
        CorsCredentials = corsCredentials,
        EnvironmentName = Environment.GetEnvironmentVariable("AZURE_FUNCTIONS_ENVIRONMENT") ?? "Development",
    }, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 130;
}
catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or FormatException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine($"CoachFunctions local host could not start: {e.Message}");
    return 1;
}

await using (host)
{
    Console.WriteLine($"CoachFunctions local host: {host.BaseAddress.ToString().TrimEnd('/')} (functions: {host.FunctionNames.Count}, worker pid {host.WorkerProcessId?.ToString() ?? "-"}). Ctrl-C to stop.");
    await Task.WhenAny(Task.Delay(Timeout.Infinite, stop.Token), host.StoppingAsync()).ContinueWith(_ => { }, TaskScheduler.Default);
    Console.WriteLine("Stopping...");
    await host.StopAsync();
}
return 0;
