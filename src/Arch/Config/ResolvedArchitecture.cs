using Mantissa.Arch.Model;

namespace Mantissa.Arch.Config;

/// <summary>
/// An architecture file read and parsed once, with its <c>base:</c> chain merged, from which designs that differ in
/// their <c>--set</c> overrides are built: each build applies its sets to a copy of the tree and validates it, so a
/// sweep never re-reads or re-parses the file (its comments and bases) per design point.
/// </summary>
public sealed class ResolvedArchitecture
{
    private readonly ConfigMap _tree;

    private ResolvedArchitecture(string path, ConfigMap tree)
    {
        Path = path;
        _tree = tree;
    }

    /// <summary>The file as given.</summary>
    public string Path { get; }

    /// <summary>Reads <paramref name="path"/> and its bases; throws <see cref="ConfigException"/> when they cannot be read or parsed.</summary>
    public static ResolvedArchitecture Parse(string path)
    {
        var bag = new DiagnosticBag();
        var tree = ArchitectureLoader.ResolveFile(path, null, bag);
        bag.ThrowIfErrors(path);
        return new ResolvedArchitecture(path, tree!);
    }

    /// <summary>The validated design with <paramref name="sets"/> applied; the same result as <see cref="ArchitectureLoader.Load"/>.</summary>
    public ArchitectureSpec Load(IReadOnlyList<KeyValuePair<string, string>> sets)
    {
        var bag = new DiagnosticBag();
        var tree = (ConfigMap)_tree.Clone();
        if (sets.Count > 0) SetPathApplier.Apply(tree, sets, bag);
        var spec = ArchitectureBinder.Bind(tree, bag);
        bag.ThrowIfErrors(Path);
        return spec! with { SourceFile = Path };
    }
}
