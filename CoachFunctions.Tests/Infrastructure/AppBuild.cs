namespace CoachFunctions.Tests.Infrastructure;

/// <summary>The app's own build output, for tests that let the local host start the real worker process.</summary>
public static class AppBuild
{
    /// <summary>The app's build folder in the test's configuration, which holds the runnable worker.</summary>
    public static string Folder()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var folder = Path.Combine(Azurite.RepositoryRoot(), "CoachFunctions", "bin", configuration, framework);
        if (!File.Exists(Path.Combine(folder, "CoachFunctions.dll")))
            throw new InvalidOperationException($"The app is not built at {folder}: build the solution first (the test command does).");
        return folder;
    }
}
