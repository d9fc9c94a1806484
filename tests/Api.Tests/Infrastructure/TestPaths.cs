namespace Summarizer.Api.Tests.Infrastructure;

/// <summary>Where the repository and the tiny model bundle are, found from the test binaries upwards.</summary>
public static class TestPaths
{
    /// <summary>The repository root (the folder holding Summarizer.slnx).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The tiny fixture bundle the integration tests run against.</summary>
    public static string TinyBundle => Path.Combine(RepoRoot, "tests", "fixtures", "tiny");

    /// <summary>The API project folder (its content root).</summary>
    public static string ApiProject => Path.Combine(RepoRoot, "src", "Api");

    private static string FindRepoRoot()
    {
        var built = typeof(TestPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        foreach (var start in new[] { built, AppContext.BaseDirectory, Directory.GetCurrentDirectory() }.OfType<string>())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Summarizer.slnx"))) return dir.FullName;
        }
        var fromEnv = Environment.GetEnvironmentVariable("SUMMARIZER_REPO_ROOT");
        return fromEnv ?? throw new InvalidOperationException(
            "Cannot find Summarizer.slnx at the build-time repository root, above the test binaries or the current directory; set SUMMARIZER_REPO_ROOT.");
    }
}
