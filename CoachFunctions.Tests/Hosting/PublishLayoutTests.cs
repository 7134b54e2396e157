using System.Diagnostics;
using System.Text.Json;
using CoachFunctions.Tests.Infrastructure;

namespace CoachFunctions.Tests.Hosting;

/// <summary>
/// <c>dotnet publish</c> output is a deployable function app: host.json, one &lt;Name&gt;/function.json
/// per function folder, and the executable host.json names, which starts as a custom handler.
/// </summary>
public sealed class PublishLayoutTests
{
    [Fact]
    public async Task Publish_folder_is_a_function_app_whose_handler_starts()
    {
        var root = Azurite.RepositoryRoot();
        var output = Path.Combine(Path.GetTempPath(), "coach-publish-" + Guid.NewGuid().ToString("N"));
        var publish = await RunAsync("dotnet", root, "publish", "CoachFunctions/CoachFunctions.csproj", "-c", "Release", "-o", output, "--nologo");
        Assert.True(publish.ExitCode == 0, publish.Output);
        try
        {
            var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "host.json"))).RootElement;
            var executable = hostJson.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
            Assert.True(File.Exists(Path.Combine(output, executable)), $"host.json names '{executable}', which is not in the publish folder.");
            Assert.True(hostJson.GetProperty("customHandler").GetProperty("enableForwardingHttpRequest").GetBoolean());

            var sourceFunctions = Directory.GetDirectories(Path.Combine(root, "CoachFunctions", "Functions"))
                .Where(d => File.Exists(Path.Combine(d, "function.json"))).Select(Path.GetFileName).Order().ToList();
            Assert.NotEmpty(sourceFunctions);
            foreach (var name in sourceFunctions)
                Assert.True(File.Exists(Path.Combine(output, name!, "function.json")), $"{name}/function.json is missing from the publish folder.");
            Assert.False(Directory.Exists(Path.Combine(output, "Functions")), "function.json files must ship only in the flat <Name>/ layout.");

            // The Functions host starts the handler with a port and polls GET / until it answers.
            var port = Azurite.FreePort();
            var psi = new ProcessStartInfo(Path.Combine(output, executable)) { WorkingDirectory = output, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString();
            psi.Environment["AzureWebJobsStorage"] = (await Azurite.SharedAsync()).ConnectionString;
            psi.Environment["Auth__SigningKey"] = Convert.ToBase64String(new byte[32]);
            using var handler = Process.Start(psi)!;
            handler.OutputDataReceived += (_, _) => { };
            handler.ErrorDataReceived += (_, _) => { };
            handler.BeginOutputReadLine();
            handler.BeginErrorReadLine();
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                var started = Stopwatch.StartNew();
                HttpResponseMessage? answer = null;
                while (answer is null && started.Elapsed < TimeSpan.FromSeconds(30) && !handler.HasExited)
                {
                    try { answer = await http.GetAsync($"http://127.0.0.1:{port}/"); }
                    catch (HttpRequestException) { await Task.Delay(25); }
                }
                Assert.NotNull(answer);
                Assert.True(answer!.IsSuccessStatusCode);
            }
            finally
            {
                handler.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
