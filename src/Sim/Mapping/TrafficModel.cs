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
    public static LevelTraffic[] Compute(ArchitectureSpec arch, GemmProblem p, GemmMapping map) =>
        Compute(new ArchView(arch), p, map);

    internal static LevelTraffic[] Compute(ArchView v, GemmProblem p, GemmMapping map)
    {
        var counts = PieceCounts.Compute(p, map);
        var readsBits = new double[v.Levels * 3];
        var writesBits = new double[v.Levels * 3];
        Accumulate(v, p, map, counts, readsBits, writesBits);
        var result = new LevelTraffic[v.Levels];
        for (int l = 0; l < v.Levels; l++)
        {
            int width = v.Arch.Memory[l].WidthBits;
            var r = new long[3]; var w = new long[3];
            double rb = 0, wb = 0;
            for (int t = 0; t < 3; t++)
            {
                r[t] = Words(readsBits[l * 3 + t], width);
                w[t] = Words(writesBits[l * 3 + t], width);
                rb += readsBits[l * 3 + t] / 8; wb += writesBits[l * 3 + t] / 8;
            }
            result[l] = new LevelTraffic(v.Arch.Memory[l].Name, r, w, rb, wb);
        }
        return result;
    }

    internal static long Words(double bits, int width) => (long)Math.Ceiling(bits / width - 1e-9);

    /// <summary>Adds the bits read and written at each level (index level·3 + tensor) for one batch entry.</summary>
    internal static void Accumulate(ArchView v, GemmProblem p, GemmMapping map, long[] counts, double[] readsBits, double[] writesBits)
    {
        var shared = v.Shared;
        int depths = shared.Length;
        for (int t = 0; t < 3; t++)
        {
            var x = (Tensor)t;
            long elems = p.Elements(x);
            int parent = 0;
            for (int depth = 1; depth <= depths; depth++)
            {
                bool consumerIsArray = depth == depths;
                if (!consumerIsArray && !v.LevelHolds(shared[depth], x)) continue;
                long f = Reuse.Factor(map, counts, x, depth);
                int pi = shared[parent] * 3 + t;
                if (x != Tensor.Output)
                {
                    double bits = (double)f * elems * p.Bits(x, false);
                    readsBits[pi] += bits;
                    if (!consumerIsArray) writesBits[shared[depth] * 3 + t] += bits;
                }
                else
                {
                    double updates = (double)(f - 1) * elems * p.AccumulatorBits + elems * p.OutputBits;
                    double refetch = (double)(f - 1) * elems * p.AccumulatorBits;
                    writesBits[pi] += updates;
                    readsBits[pi] += refetch;
                    if (!consumerIsArray)
                    {
                        readsBits[shared[depth] * 3 + t] += updates;
                        writesBits[shared[depth] * 3 + t] += refetch;
                    }
                }
                parent = depth;
            }
        }
        AddPerPeLevels(v, p, map, counts, readsBits, writesBits);
    }

    // Register files inside the PEs: the operand a PE holds is written once per array fill and read once per MAC;
    // a held accumulator is read and written once per MAC.
    private static void AddPerPeLevels(ArchView v, GemmProblem p, GemmMapping map, long[] counts,
        double[] readsBits, double[] writesBits)
    {
        long macs = p.M * p.K * p.N;
        int arrayDepth = map.Levels.Count;
        for (int l = 0; l < v.Levels; l++)
        {
            if (!v.Arch.Memory[l].PerPe) continue;
            for (int t = 0; t < 3; t++)
            {
                var x = (Tensor)t;
                if (!v.LevelHolds(l, x)) continue;
                if (x == Tensor.Output)
                {
                    readsBits[l * 3 + t] += (double)macs * p.AccumulatorBits;
                    writesBits[l * 3 + t] += (double)macs * p.AccumulatorBits;
                }
                else
                {
                    long f = Reuse.Factor(map, counts, x, arrayDepth);
                    writesBits[l * 3 + t] += (double)f * p.Elements(x) * p.Bits(x, false);
                    readsBits[l * 3 + t] += (double)macs * p.Bits(x, false);
                }
            }
        }
    }
}
