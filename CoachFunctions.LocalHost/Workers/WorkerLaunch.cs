using System.Diagnostics;
using CoachFunctions.LocalHost.Settings;

namespace CoachFunctions.LocalHost.Workers;

/// <summary>How the Functions host starts a .NET isolated worker: its command line and environment.</summary>
internal sealed record WorkerLaunch(AppLocation App, Uri GrpcUri, string EnvironmentName, IReadOnlyDictionary<string, string> Settings)
{
    public ProcessStartInfo StartInfo(string workerId)
    {
        var start = new ProcessStartInfo(App.Executable)
        {
            WorkingDirectory = App.Directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        if (App.WorkerPath is not null) start.ArgumentList.Add(App.WorkerPath);
        foreach (var argument in Arguments(GrpcUri, workerId)) start.ArgumentList.Add(argument);

        foreach (var (key, value) in Environment(App.Directory, EnvironmentName, Settings)) start.Environment[key] = value;
        return start;
    }

    /// <summary>The switches the .NET worker reads (the max message length is required: without it the first message fails).</summary>
    public static IEnumerable<string> Arguments(Uri grpcUri, string workerId) =>
    [
        "--functions-uri", grpcUri.ToString(),
        "--functions-worker-id", workerId,
        "--functions-request-id", Guid.NewGuid().ToString(),
        "--functions-grpc-max-message-length", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];

    /// <summary>The worker's environment: what the host sets, plus every app setting as an environment variable ('A:B' as 'A__B').</summary>
    public static IEnumerable<KeyValuePair<string, string>> Environment(string appDirectory, string environmentName, IReadOnlyDictionary<string, string> settings)
    {
        foreach (var (key, value) in settings) yield return new(AppSettings.ToEnvironmentName(key), value);
        yield return new("FUNCTIONS_WORKER_RUNTIME", "dotnet-isolated");
        yield return new("FUNCTIONS_APPLICATION_DIRECTORY", appDirectory);
        yield return new("FUNCTIONS_WORKER_DIRECTORY", appDirectory);
        yield return new("AzureWebJobsScriptRoot", appDirectory);
        yield return new("AZURE_FUNCTIONS_ENVIRONMENT", environmentName);
        yield return new("ASPNETCORE_ENVIRONMENT", environmentName);
        yield return new("DOTNET_ENVIRONMENT", environmentName);
    }
}
