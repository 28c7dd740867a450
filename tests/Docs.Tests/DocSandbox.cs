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
        // The sandbox links the repository's folders: writing through a link would change the checkout.
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(full)!); dir.FullName.Length > Root.Length; dir = dir.Parent!)
            if (dir.Exists && dir.LinkTarget is not null)
                throw new InvalidOperationException($"'{name}': a documented file inside the repository's {Path.GetFileName(dir.FullName)}/ folder would overwrite the checkout; show it with `$ cat` only if it is committed there, or define it at the top level");
        if (File.Exists(full) && new FileInfo(full).LinkTarget is not null)
            throw new InvalidOperationException($"'{name}': the repository has this file; a documented file must not overwrite it");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    /// <summary>The full path of <paramref name="name"/> when it is a file the repository has (reached through the sandbox's links), else null.</summary>
    public string? InRepository(string name)
    {
        string full = Path.GetFullPath(Path.Combine(Root, name));
        if (Path.IsPathRooted(name) || !full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
            return null;
        for (var info = new FileInfo(full) as FileSystemInfo; info.FullName.Length > Root.Length; info = Directory.GetParent(info.FullName)!)
            if (info.LinkTarget is not null) return full;
        return null; // written by an earlier documented step
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
