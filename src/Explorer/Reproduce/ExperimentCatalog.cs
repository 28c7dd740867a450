using Mantissa.Arch;

namespace Mantissa.Explorer.Reproduce;

/// <summary>The bundled experiments: one folder per paper under <c>arch-configs/reproductions/</c>.</summary>
public static class ExperimentCatalog
{
    public const string FileName = "experiment.yaml";

    /// <summary>
    /// The reproductions folder: <c>arch-configs/reproductions</c> under the working directory or any parent
    /// (so the command works from the repository root and from a build folder inside it).
    /// </summary>
    public static string Root(string? start = null)
    {
        var dir = new DirectoryInfo(start ?? Directory.GetCurrentDirectory());
        for (var d = dir; d is not null; d = d.Parent)
        {
            string p = Path.Combine(d.FullName, "arch-configs", "reproductions");
            if (Directory.Exists(p)) return p;
        }
        throw new MantissaException($"no arch-configs/reproductions folder in {dir.FullName} or its parents; run from the repository");
    }

    /// <summary>Experiment names (folder names holding an experiment.yaml), sorted.</summary>
    public static IReadOnlyList<string> Names(string root) =>
        Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, FileName)))
            .Select(Path.GetFileName).OfType<string>().OrderBy(n => n, StringComparer.Ordinal).ToList();

    /// <summary>The experiment file of <paramref name="name"/>, or of a folder / file path given directly.</summary>
    public static string PathOf(string root, string name)
    {
        if (File.Exists(name)) return name;
        if (Directory.Exists(name) && File.Exists(Path.Combine(name, FileName))) return Path.Combine(name, FileName);
        string p = Path.Combine(root, name, FileName);
        if (File.Exists(p)) return p;
        var names = Names(root);
        string? near = NameSuggester.Nearest(name, names);
        throw new MantissaException($"no experiment '{name}'" + (near is null ? "" : $"; did you mean '{near}'?") + $" (experiments: {string.Join(", ", names)})");
    }
}
