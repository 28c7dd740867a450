using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>Looks up <see cref="CostOverride"/>s by path and checks that every override names a cost the model derives.</summary>
internal sealed class CostOverrides
{
    // both stay null for a design without overrides, the common case in sweeps: costing it allocates nothing here
    private readonly Dictionary<string, CostOverride>? _byPath;
    private HashSet<string>? _used;

    // The paths the architecture loader accepts (ConfigSchema.Overrides); lut/ff/dsp/bram36/uram apply to FPGA targets only.
    public static readonly string[] DesignPaths = { "area_mm2", "leakage_mw" };
    public static readonly string[] PePaths =
        { "pe.area_um2", "pe.energy_pj_per_cycle", "pe.idle_energy_pj_per_cycle", "pe.leakage_mw", "pe.lut", "pe.ff", "pe.dsp" };
    public static readonly string[] MemoryFields = { "read_pj", "write_pj", "leakage_mw", "area_mm2", "bram36", "uram" };

    public CostOverrides(ArchitectureSpec arch)
    {
        if (arch.Overrides.Count == 0) return; // the common case in sweeps: nothing to validate
        _byPath = new Dictionary<string, CostOverride>(StringComparer.Ordinal);
        var valid = new HashSet<string>(PePaths.Concat(DesignPaths), StringComparer.Ordinal);
        foreach (var m in arch.Memory)
            foreach (var f in MemoryFields) valid.Add($"memory.{m.Name}.{f}");
        foreach (var o in arch.Overrides)
        {
            if (!valid.Contains(o.Path))
                throw new MantissaException($"{Where(arch)}cost override '{o.Path}' names no derived cost; valid paths: {string.Join(", ", valid.Order())}");
            if (!(o.Value >= 0) || double.IsInfinity(o.Value))
                throw new MantissaException($"{Where(arch)}cost override '{o.Path}' must be a finite non-negative number, got {o.Value}");
            _byPath[o.Path] = o;
        }
    }

    private static string Where(ArchitectureSpec arch) => arch.SourceFile is null ? "" : arch.SourceFile + ": ";

    /// <summary>The override's value when one is set, else <paramref name="derived"/>; <paramref name="source"/> becomes the override's source.</summary>
    public double Apply(string path, double derived, ref string source)
    {
        if (_byPath is null || !_byPath.TryGetValue(path, out var o)) return derived;
        (_used ??= new HashSet<string>(StringComparer.Ordinal)).Add(path);
        source = "override: " + o.Source;
        return o.Value;
    }

    public bool Has(string path) => _byPath is not null && _byPath.ContainsKey(path);

    /// <summary>The override at <paramref name="path"/>, if any (marked applied).</summary>
    public CostOverride? Get(string path)
    {
        if (_byPath is null || !_byPath.TryGetValue(path, out var o)) return null;
        (_used ??= new HashSet<string>(StringComparer.Ordinal)).Add(path);
        return o;
    }

    public IReadOnlyList<CostOverride> Applied => _byPath is null || _used is null ? [] : _byPath.Values.Where(o => _used.Contains(o.Path)).ToList();
}
