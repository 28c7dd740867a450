using System.Runtime.ExceptionServices;
using Mantissa.Arch.Config;
using Mantissa.Arch.Model;

namespace Mantissa.Explorer.Sweep;

// The row key of a point, from the design it resolves to (DesignKey). The runner asks for a point's key and then, on the
// same thread, evaluates it, so the design is loaded once for both: the last point resolved on each thread is kept.
public sealed partial class SimulatorEvaluator
{
    [ThreadStatic] private static SimulatorEvaluator? t_owner;
    [ThreadStatic] private static DesignPoint? t_point;
    [ThreadStatic] private static ArchitectureSpec? t_design;
    [ThreadStatic] private static ExceptionDispatchInfo? t_error;
    [ThreadStatic] private static string? t_key;
    private DesignKey? _keys;

    /// <summary>A digest of the canonical text of the design <paramref name="point"/> resolves to (<see cref="DesignKey"/>).</summary>
    public string ConfigKey(DesignPoint point)
    {
        if (IsLast(point) && t_key is { } known) return known;
        var keys = LazyInitializer.EnsureInitialized(ref _keys, () => new DesignKey(BaseDesign()));
        string key;
        try
        {
            key = keys.Of(Resolve(point));
        }
        catch (ConfigException)
        {
            key = keys.OfInvalid(point);
        }
        t_key = key;
        return key;
    }

    /// <summary>
    /// The row keys of <paramref name="point"/> and each of <paramref name="workloads"/> into <paramref name="keys"/>: the
    /// keys <paramref name="hasher"/> makes of <see cref="ConfigKey"/> and each workload's label, hashed from the design's
    /// text where <see cref="DesignKey"/> writes it, so no configuration string is made per point.
    /// </summary>
    void IDesignEvaluator.RowKeys(DesignPoint point, IReadOnlyList<WorkloadSpec> workloads, RowKeyHasher hasher, string[] keys)
    {
        if (!IsLast(point) || t_key is null)
        {
            var designs = LazyInitializer.EnsureInitialized(ref _keys, () => new DesignKey(BaseDesign()));
            ArchitectureSpec design;
            try
            {
                design = Resolve(point);
            }
            catch (ConfigException)
            {
                HashEach(t_key = designs.OfInvalid(point));
                return;
            }
            var text = designs.Text(design);
            for (int w = 0; w < keys.Length; w++) keys[w] = hasher.Of(text, workloads[w].Label);
            return;
        }
        HashEach(t_key);

        void HashEach(string config)
        {
            for (int w = 0; w < keys.Length; w++) keys[w] = hasher.Of(config, workloads[w].Label);
        }
    }

    /// <summary>The design of <paramref name="point"/> (throws <see cref="ConfigException"/> when it does not load), loaded once for its key and its evaluation.</summary>
    private ArchitectureSpec Resolve(DesignPoint point)
    {
        if (!IsLast(point))
        {
            t_owner = this;
            t_point = point;
            t_key = null;
            t_design = null;
            t_error = null;
            try
            {
                t_design = _base.Load(point.Sets);
            }
            catch (ConfigException e)
            {
                t_error = ExceptionDispatchInfo.Capture(e);
            }
        }
        t_error?.Throw();
        return t_design!;
    }

    private bool IsLast(DesignPoint point) => ReferenceEquals(t_owner, this) && ReferenceEquals(t_point, point);

    private ArchitectureSpec? BaseDesign()
    {
        try
        {
            return _base.Load([]);
        }
        catch (ConfigException)
        {
            return null; // a base that only loads with the sweep's sets: every point's key writes its whole design
        }
    }
}
