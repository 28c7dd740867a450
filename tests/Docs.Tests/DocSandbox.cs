namespace Mantissa.Docs.Tests;

/// <summary>A temporary directory that looks like the repository (symbolic links to its top-level entries) with an empty results/, so documented commands run with the docs' relative paths and write nothing into the checkout.</summary>
public sealed class DocSandbox : IDisposable
{
    private static readonly HashSet<string> NotLinked = new(StringComparer.Ordinal) { ".git", "results", "bin", "obj", "TestResults" };

    public string Root { get; }

    public DocSandbox(string repoRoot)
    {
        Root = Path.Combine(Path.GetTempPath(), "mantissa-docs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        foreach (var entry in Directory.EnumerateFileSystemEntries(repoRoot))
        {
            string name = Path.GetFileName(entry);
            if (NotLinked.Contains(name)) continue;
            string link = Path.Combine(Root, name);
            if (Directory.Exists(entry)) Directory.CreateSymbolicLink(link, entry);
            else File.CreateSymbolicLink(link, entry);
        }
    }

    /// <summary>Writes a file the docs define (a `$ cat NAME` transcript or a `doc-test: file NAME` block); NAME must stay inside the sandbox.</summary>
    public void WriteFile(string name, string content)
    {
        string full = Path.GetFullPath(Path.Combine(Root, name));
        if (Path.IsPathRooted(name) || !full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException($"'{name}': documented files must have a relative path inside the repository");
        if (InsideRepository(full))
            throw new InvalidOperationException($"'{name}' is inside a folder of the repository; a documented file may only be created outside them (never overwrite the checkout)");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    /// <summary>True when <paramref name="full"/> lies under one of the links to the repository's folders (writing there would change the checkout).</summary>
    public bool InsideRepository(string full)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(full)!); dir is not null && dir.FullName.Length > Root.Length; dir = dir.Parent)
            if (dir.LinkTarget is not null) return true;
        return File.Exists(full) && new FileInfo(full).LinkTarget is not null;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The repository root: the nearest ancestor of the test assembly's directory holding Sim.sln.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sim.sln"))) return dir.FullName;
        throw new InvalidOperationException("Sim.sln not found above " + AppContext.BaseDirectory);
    }
}
