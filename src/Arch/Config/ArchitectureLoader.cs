using Mantissa.Arch.Model;

namespace Mantissa.Arch.Config;

/// <summary>Loads architecture YAML files: resolves <c>base:</c>, applies <c>--set</c> overrides, validates, and builds the spec.</summary>
public static class ArchitectureLoader
{
    // A tree exists unless the YAML or a base could not be read; set-path problems leave it usable, so it is still
    // validated and every problem is reported together.

    /// <summary>Loads and validates <paramref name="path"/>; throws <see cref="ConfigException"/> listing every problem.</summary>
    public static ArchitectureSpec Load(string path, IReadOnlyList<KeyValuePair<string, string>>? sets = null)
    {
        var bag = new DiagnosticBag();
        var tree = ResolveFile(path, sets, bag);
        if (tree is null) bag.ThrowIfErrors(path);
        var spec = ArchitectureBinder.Bind(tree!, bag);
        bag.ThrowIfErrors(path);
        return spec! with { SourceFile = path };
    }

    /// <summary>Loads YAML text; <paramref name="sourceName"/> names it in messages, <paramref name="baseDirectory"/> resolves <c>base:</c>.</summary>
    public static ArchitectureSpec LoadText(string yaml, string sourceName, IReadOnlyList<KeyValuePair<string, string>>? sets = null,
                                            string? baseDirectory = null)
    {
        var bag = new DiagnosticBag();
        var tree = BaseResolver.Load(yaml, sourceName, null, baseDirectory ?? Directory.GetCurrentDirectory(), baseDirectory ?? "", bag);
        if (tree is not null && sets is { Count: > 0 }) SetPathApplier.Apply(tree, sets, bag);
        if (tree is null) bag.ThrowIfErrors(sourceName);
        var spec = ArchitectureBinder.Bind(tree!, bag);
        bag.ThrowIfErrors(sourceName);
        return spec!;
    }

    /// <summary>Canonical YAML of the validated design after base merge and sets (keys sorted), for hashing and display.</summary>
    public static string ResolvedYaml(string path, IReadOnlyList<KeyValuePair<string, string>>? sets = null)
    {
        var bag = new DiagnosticBag();
        var tree = ResolveFile(path, sets, bag);
        if (tree is null) bag.ThrowIfErrors(path);
        ArchitectureBinder.Bind(tree!, bag);
        bag.ThrowIfErrors(path);
        return CanonicalYamlWriter.Write(tree!);
    }

    internal static ConfigMap? ResolveFile(string path, IReadOnlyList<KeyValuePair<string, string>>? sets, DiagnosticBag bag)
    {
        string text;
        try
        {
            text = InputFile.ReadText(path, "architecture file", InputFile.MaxConfigBytes);
        }
        catch (MantissaException ex)
        {
            bag.Add(new Origin(path, 0, 0), "", ex.Message);
            return null;
        }
        var full = Path.GetFullPath(path);
        var tree = BaseResolver.Load(text, path, full, Path.GetDirectoryName(full)!, Path.GetDirectoryName(path) ?? "", bag);
        if (tree is not null && sets is { Count: > 0 }) SetPathApplier.Apply(tree, sets, bag);
        return tree;
    }
}
