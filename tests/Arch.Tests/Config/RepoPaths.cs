namespace Mantissa.Arch.Tests.Config;

/// <summary>Locates the repository root (the folder holding Sim.sln) from the test's working directory.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string ArchConfigs => Path.Combine(Root, "arch-configs");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sim.sln"))) return dir.FullName;
        throw new InvalidOperationException("Sim.sln not found above " + AppContext.BaseDirectory);
    }
}
