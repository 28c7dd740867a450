using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Mapping;

/// <summary>
/// What a mapping's traffic costs: the memory energy (words × per-word energy at every level), the cycles the on-chip
/// levels need at their bandwidths, and the DRAM bytes per tensor the timing model schedules.
/// </summary>
public readonly record struct MemoryCost(double MemoryPj, double InnerCycles, PerTensor DramReadBytes, PerTensor DramWriteBytes)
{
    public double DramReadTotal => DramReadBytes.Sum;
    public double DramWriteTotal => DramWriteBytes.Sum;
}

/// <summary>
/// The one traffic-cost kernel: the mapper's scoring, the energy model and the timing model all price traffic here,
/// so a mapping is chosen on exactly the figures the report prints.
/// </summary>
public static class TrafficCost
{
    /// <summary>Words of a <paramref name="width"/>-bit level that carry <paramref name="bits"/> (partial words round up).</summary>
    public static long Words(double bits, int width) => (long)Math.Ceiling(bits / width - 1e-9);

    /// <summary>Energy of one level's reads and writes (pJ).</summary>
    public static double LevelPj(LevelCost c, long readWords, long writeWords) =>
        readWords * c.ReadEnergyPjPerWord + writeWords * c.WriteEnergyPjPerWord;

    /// <summary>Cycles an on-chip level needs to move its traffic at its read and write bandwidths (per-PE levels scale with the PE count).</summary>
    public static double LevelCycles(ArchitectureSpec arch, int level, double readBytes, double writeBytes)
    {
        var m = arch.Memory[level];
        double copies = m.PerPe ? arch.PeCount : 1;
        return LevelCycles(readBytes, writeBytes, m.ReadBytesPerCycle * copies, m.WriteBytesPerCycle * copies);
    }

    /// <summary><see cref="LevelCycles(ArchitectureSpec, int, double, double)"/> at a level's read and write bytes per cycle
    /// (times its copies), read once by a caller that prices many candidates.</summary>
    public static double LevelCycles(double readBytes, double writeBytes, double readBytesPerCycle, double writeBytesPerCycle) =>
        Math.Max(readBytes / readBytesPerCycle, writeBytes / writeBytesPerCycle);

    /// <summary>The slowest on-chip level's bandwidth time (DRAM is scheduled by the timing model instead).</summary>
    public static double InnerCycles(ArchitectureSpec arch, IReadOnlyList<LevelTraffic> traffic)
    {
        double worst = 0;
        for (int l = MemoryLevels.Dram + 1; l < arch.Memory.Count; l++)
            worst = Math.Max(worst, LevelCycles(arch, l, traffic[l].ReadBytes, traffic[l].WriteBytes));
        return worst;
    }

    /// <summary>Prices the bits of one batch entry without allocating.</summary>
    public static MemoryCost Of(ArchitectureSpec arch, ArchCost cost, TrafficBits bits)
    {
        double pj = 0, inner = 0;
        for (int l = 0; l < bits.Levels; l++)
        {
            var (rw, ww) = LevelWords(arch, bits, l);
            pj += LevelPj(cost.Levels[l], rw, ww);
            if (l != MemoryLevels.Dram) inner = Math.Max(inner, LevelCycles(arch, l, bits.Reads(l).Sum / 8, bits.Writes(l).Sum / 8));
        }
        return new MemoryCost(pj, inner, bits.Reads(MemoryLevels.Dram) * (1.0 / 8), bits.Writes(MemoryLevels.Dram) * (1.0 / 8));
    }

    /// <summary>Words read and written at level <paramref name="l"/> (every tensor's partial words rounded up).</summary>
    public static (long Read, long Write) LevelWords(ArchitectureSpec arch, TrafficBits bits, int l)
    {
        var r = bits.Reads(l);
        var w = bits.Writes(l);
        int width = arch.Memory[l].WidthBits;
        long rw = 0, ww = 0;
        foreach (var t in PerTensor.All) { rw += Words(r[t], width); ww += Words(w[t], width); }
        return (rw, ww);
    }

    /// <summary>The per-level report of the same bits: words per tensor and bytes.</summary>
    public static LevelTraffic[] ToLevelTraffic(ArchitectureSpec arch, TrafficBits bits)
    {
        var result = new LevelTraffic[bits.Levels];
        for (int l = 0; l < bits.Levels; l++)
        {
            int width = arch.Memory[l].WidthBits;
            var r = bits.Reads(l);
            var w = bits.Writes(l);
            var rw = new long[3];
            var ww = new long[3];
            foreach (var t in PerTensor.All) { rw[(int)t] = Words(r[t], width); ww[(int)t] = Words(w[t], width); }
            result[l] = new LevelTraffic(arch.Memory[l].Name, rw, ww, r.Sum / 8, w.Sum / 8);
        }
        return result;
    }
}
