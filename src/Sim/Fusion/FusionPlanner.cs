using Mantissa.Arch.Model;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Results;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Fusion;

/// <summary>
/// Chooses which activations stay on chip between operators. A tensor is kept in the fusion level (the largest on-chip
/// level holding inputs and outputs) when its producer and every consumer take it there — for a GEMM, the level is the
/// first on-chip holder of that operand — and the level can hold it from production to its last consumer: at every
/// operator in between, the tensors already kept plus this one plus the operator's own tiles in that level (as the
/// unfused mapping placed them, doubled when double-buffered) fit the capacity. Tensors are taken greedily in the order
/// they are produced, so an early activation is never evicted for a later one.
/// </summary>
internal static class FusionPlanner
{
    /// <summary>The tensors kept on chip, and per operator the bytes of kept tensors live while it runs.</summary>
    public static (HashSet<string> Resident, double[] Live) Plan(ArchitectureSpec arch, ArchView view, IReadOnlyList<SimOperator> ops,
        IReadOnlyList<LayerResult> unfused, IReadOnlyList<FusibleTensor> candidates)
    {
        var resident = new HashSet<string>(StringComparer.Ordinal);
        var live = new double[ops.Count];
        if (view.FusionLevel is not { } level) return (resident, live);
        var spec = arch.Memory[level];
        double capacity = spec.CapacityBytes == 0 ? double.PositiveInfinity : spec.CapacityBytes;
        var working = new double[ops.Count];
        for (int i = 0; i < ops.Count; i++)
            if (unfused[i].Mapping is { } map && unfused[i].Gemm is { } p &&
                map.Levels.FirstOrDefault(t => t.LevelIndex == level) is { LevelName: not null } tile)
                working[i] = Mapper.TileBytes(spec, p, tile.M, tile.K, tile.N) * (spec.DoubleBuffered ? 2 : 1);
        foreach (var t in candidates)
        {
            if (!OnChipEverywhere(view, level, ops, t)) continue;
            bool fits = true;
            for (int i = t.Producer; i <= t.LastConsumer && fits; i++)
                fits = live[i] + working[i] + t.Bytes <= capacity;
            if (!fits) continue;
            for (int i = t.Producer; i <= t.LastConsumer; i++) live[i] += t.Bytes;
            resident.Add(t.Name);
        }
        return (resident, live);
    }

    // Every GEMM touching the tensor must take that operand from the fusion level itself: one whose first on-chip holder
    // of the operand is another level (a weight FIFO for an activation × activation product) would still go to DRAM.
    private static bool OnChipEverywhere(ArchView view, int level, IReadOnlyList<SimOperator> ops, FusibleTensor t)
    {
        for (int i = t.Producer; i <= t.LastConsumer; i++)
            foreach (var u in ops[i].Uses)
                if (u.Name == t.Name && u.Operand is { } operand && view.FirstHolder(operand) != level) return false;
        return true;
    }
}
