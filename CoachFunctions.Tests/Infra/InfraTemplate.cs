using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoachFunctions.Tests.Infra;

/// <summary>
/// infra/main.bicep compiled by the bicep CLI from NuGet (the test project's reference to
/// Azure.Bicep.CommandLine.linux-x64 gives its path), and what the tests read from the ARM JSON:
/// the function app's settings and the role assignments. Compiled once per test run.
/// </summary>
public static partial class InfraTemplate
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string InfraDirectory => Path.Combine(RepositoryRoot, "infra");

    private static readonly Lazy<JsonElement> Compiled = new(Compile);

    /// <summary>The subscription-scope template (main.bicep).</summary>
    public static JsonElement Main => Compiled.Value;

    /// <summary>The resource group's template: the module main.bicep deploys (resources.bicep).</summary>
    public static JsonElement Resources => Main.GetProperty("resources").EnumerateArray()
        .Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
        .GetProperty("properties").GetProperty("template");

    public static IEnumerable<JsonElement> ResourcesOfType(string type) =>
        Resources.GetProperty("resources").EnumerateArray().Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

    public static JsonElement FunctionApp => ResourcesOfType("Microsoft.Web/sites").Single();

    /// <summary>The function app's settings: name (literal in the template) and value (a literal or an ARM expression).</summary>
    public static IReadOnlyList<(string Name, string Value)> AppSettings => FunctionApp.GetProperty("properties").GetProperty("siteConfig")
        .GetProperty("appSettings").EnumerateArray()
        .Select(s => (s.GetProperty("name").GetString()!, s.GetProperty("value").ToString()))
        .ToList();

    /// <summary>Each role assignment: the role's GUID, the type of the resource it is scoped to, and its principal expression.</summary>
    public static IReadOnlyList<(string RoleId, string ScopeType, string Principal, string PrincipalType)> RoleAssignments()
    {
        var roleVariables = Resources.GetProperty("variables").GetProperty("roles");
        return ResourcesOfType("Microsoft.Authorization/roleAssignments").Select(r =>
        {
            var properties = r.GetProperty("properties");
            var definition = properties.GetProperty("roleDefinitionId").GetString()!;
            // [subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roles').NAME)]
            var name = RoleVariable().Match(definition);
            var roleId = name.Success ? roleVariables.GetProperty(name.Groups[1].Value).GetString()! : definition;
            var scope = r.TryGetProperty("scope", out var s) ? s.GetString()! : "(resource group)";
            var scopeType = ScopeResourceType().Match(scope) is { Success: true } m ? m.Groups[1].Value : scope;
            return (roleId, scopeType, properties.GetProperty("principalId").GetString()!, properties.GetProperty("principalType").GetString()!);
        }).ToList();
    }

    /// <summary>Runs the bicep CLI; its exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Output, string Error) Bicep(params string[] arguments)
    {
        var path = typeof(InfraTemplate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value;
        Assert.False(string.IsNullOrEmpty(path), "The bicep CLI's path is not known: the Azure.Bicep.CommandLine.linux-x64 reference did not restore.");
        Assert.True(File.Exists(path), $"The bicep CLI is not at {path}.");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = InfraDirectory };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // Offline: no telemetry, no update check.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "bicep did not finish in 2 minutes.");
        return (process.ExitCode, output.Result, error.Result);
    }

    private static JsonElement Compile()
    {
        var (code, output, error) = Bicep("build", "main.bicep", "--stdout");
        Assert.True(code == 0, $"bicep build failed ({code}): {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CoachFunctions.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (with CoachFunctions.sln) is not above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"variables\('roles'\)\.(\w+)")]
    private static partial Regex RoleVariable();

    [GeneratedRegex(@"^\[resourceId\('([^']+)'")]
    private static partial Regex ScopeResourceType();
}
