using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Mapping;

/// <summary>
/// Exact per-level, per-tensor access counts of a GEMM mapping. Each tensor moves between consecutive levels
/// that hold it (DRAM holds all); the array consumes from the innermost holder. Inputs: the parent is read and the
/// child written once per visit. Outputs: every visit writes the parent, and every visit after the first reads the
/// partial sum back; all but the last update of an element travel at accumulator width.
/// </summary>
public static class TrafficModel
{
    /// <summary>Traffic of one batch entry, indexed like <c>arch.Memory</c>.</summary>
    public static LevelTraffic[] Compute(ArchitectureSpec arch, GemmProblem p, GemmMapping map)
    {
        var shared = SharedLevels.Of(arch);
        var counts = PieceCounts.Compute(p, map);
        int depths = shared.Count;
        var readsBits = new double[arch.Memory.Count, 3];
        var writesBits = new double[arch.Memory.Count, 3];
        for (int t = 0; t < 3; t++)
        {
            var x = (Tensor)t;
            long elems = p.Elements(x);
            int parent = 0;
            for (int depth = 1; depth <= depths; depth++)
            {
                bool consumerIsArray = depth == depths;
                if (!consumerIsArray && !SharedLevels.Holds(arch.Memory[shared[depth]], x)) continue;
                long f = Reuse.Factor(map, counts, x, depth);
                int pi = shared[parent];
                if (x != Tensor.Output)
                {
                    double bits = (double)f * elems * p.Bits(x, false);
                    readsBits[pi, t] += bits;
                    if (!consumerIsArray) writesBits[shared[depth], t] += bits;
                }
                else
                {
                    double updates = (f - 1) * elems * p.AccumulatorBits + elems * p.OutputBits;
                    double refetch = (double)(f - 1) * elems * p.AccumulatorBits;
                    writesBits[pi, t] += updates;
                    readsBits[pi, t] += refetch;
                    if (!consumerIsArray) { readsBits[shared[depth], t] += updates; writesBits[shared[depth], t] += refetch; }
                }
                parent = depth;
            }
        }
        AddPerPeLevels(arch, p, map, counts, readsBits, writesBits);
        var result = new LevelTraffic[arch.Memory.Count];
        for (int l = 0; l < arch.Memory.Count; l++)
        {
            int width = arch.Memory[l].WidthBits;
            var r = new long[3]; var w = new long[3];
            double rb = 0, wb = 0;
            for (int t = 0; t < 3; t++)
            {
                r[t] = (long)Math.Ceiling(readsBits[l, t] / width - 1e-9);
                w[t] = (long)Math.Ceiling(writesBits[l, t] / width - 1e-9);
                rb += readsBits[l, t] / 8; wb += writesBits[l, t] / 8;
            }
            result[l] = new LevelTraffic(arch.Memory[l].Name, r, w, rb, wb);
        }
        return result;
    }

    // Register files inside the PEs: the operand a PE holds is written once per array fill and read once per MAC;
    // a held accumulator is read and written once per MAC.
    private static void AddPerPeLevels(ArchitectureSpec arch, GemmProblem p, GemmMapping map, long[,] counts,
        double[,] readsBits, double[,] writesBits)
    {
        long macs = p.M * p.K * p.N;
        int arrayDepth = map.Levels.Count;
        for (int l = 0; l < arch.Memory.Count; l++)
        {
            var level = arch.Memory[l];
            if (!level.PerPe) continue;
            for (int t = 0; t < 3; t++)
            {
                var x = (Tensor)t;
                if (!SharedLevels.Holds(level, x)) continue;
                if (x == Tensor.Output)
                {
                    readsBits[l, t] += (double)macs * p.AccumulatorBits;
                    writesBits[l, t] += (double)macs * p.AccumulatorBits;
                }
                else
                {
                    long f = Reuse.Factor(map, counts, x, arrayDepth);
                    writesBits[l, t] += (double)f * p.Elements(x) * p.Bits(x, false);
                    readsBits[l, t] += (double)macs * p.Bits(x, false);
                }
            }
        }
    }
}

/// <summary>The shared (not per-PE) memory levels of an architecture, DRAM first.</summary>
internal static class SharedLevels
{
    public static List<int> Of(ArchitectureSpec arch)
    {
        var list = new List<int>();
        for (int i = 0; i < arch.Memory.Count; i++)
            if (!arch.Memory[i].PerPe) list.Add(i);
        if (list.Count == 0 || arch.Memory[list[0]].Kind != MemoryKind.Dram)
            throw new MantissaException($"architecture '{arch.Name}': the outermost memory level must be DRAM (memory[0].kind: dram)");
        return list;
    }

    public static bool Holds(MemoryLevelSpec level, Tensor x) => (level.Holds & SetOf(x)) != 0;

    public static TensorSet SetOf(Tensor x) => x switch
    {
        Tensor.Left => TensorSet.Inputs,
        Tensor.Right => TensorSet.Weights,
        _ => TensorSet.Outputs,
    };
}
