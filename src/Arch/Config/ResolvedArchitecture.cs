using Mantissa.Arch.Model;

namespace Mantissa.Arch.Config;

/// <summary>
/// An architecture file read and parsed once, with its <c>base:</c> chain merged, from which designs that differ in
/// their <c>--set</c> overrides are built: each build applies its sets to a copy of the tree and validates it, so a
/// sweep never re-reads or re-parses the file (its comments and bases) per design point. The copy is made only along the
/// sets' paths; sections the sets do not reach stay the base's nodes and reuse their binding (<see cref="BindMemo"/>).
/// </summary>
public sealed class ResolvedArchitecture
{
    private readonly ConfigMap _tree;
    private readonly BindMemo _memo;
    private readonly SetValueMemo _values;

    private ResolvedArchitecture(string path, ConfigMap tree)
    {
        Path = path;
        _tree = tree;
        _values = new SetValueMemo();
        _memo = new BindMemo(tree);
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
        var tree = _tree; // binding reads a tree, never changes it
        if (sets.Count > 0)
        {
            tree = SetPathApplier.CopyPaths(_tree, sets);
            SetPathApplier.Apply(tree, sets, bag, _values);
        }
        var spec = ArchitectureBinder.Bind(tree, bag, _memo, Path);
        bag.ThrowIfErrors(Path);
        return spec!;
    }
}
