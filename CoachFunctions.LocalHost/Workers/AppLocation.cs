using System.Text.Json.Nodes;

namespace CoachFunctions.LocalHost.Workers;

/// <summary>
/// The function app folder and the worker's entry point, named by worker.config.json as the host
/// reads it (description.defaultExecutablePath and defaultWorkerPath), else dotnet CoachFunctions.dll.
/// </summary>
internal sealed record AppLocation(string Directory, string Executable, string? WorkerPath)
{
    public static AppLocation Find(string appDirectory, bool requireEntryPoint)
    {
        var directory = Path.GetFullPath(appDirectory);
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"The app directory '{directory}' does not exist.");

        string executable = "dotnet", workerPath = "CoachFunctions.dll";
        var config = Path.Combine(directory, "worker.config.json");
        if (File.Exists(config) && JsonNode.Parse(File.ReadAllText(config))?["description"] is JsonObject description)
        {
            executable = description["defaultExecutablePath"]?.GetValue<string>() ?? executable;
            workerPath = description["defaultWorkerPath"]?.GetValue<string>() ?? workerPath;
        }

        var assembly = Path.Combine(directory, workerPath);
        if (requireEntryPoint && !File.Exists(assembly)) throw new FileNotFoundException($"The worker entry point '{assembly}' does not exist: build or publish the function app first.", assembly);
        return executable == "dotnet" || executable.EndsWith("dotnet.exe", StringComparison.OrdinalIgnoreCase)
            ? new AppLocation(directory, "dotnet", assembly)
            : new AppLocation(directory, Path.Combine(directory, executable), null);
    }
}
