using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

/// <summary>Set-ups and comparisons the mapper tests share.</summary>
internal static class MapperCases
{
    /// <summary>The design the GEMM speed benchmarks sweep (sweeps/edge-npu.yaml) with their GEMM, 128×1024×1024, and its compute cycles.</summary>
    public static (ArchitectureSpec Arch, ArchCost Cost, PeThroughput Pe, GemmProblem P, double Cycles) BenchGemm()
    {
        var arch = BundledArchs.Load("sweeps/edge-npu.yaml");
        var cost = CostModel.Evaluate(arch);
        var sim = new Simulator(arch, cost);
        var p = sim.DefaultProblem(1, 128, 1024, 1024);
        double cycles = SystolicCompute.Estimate(arch.Array.Rows, arch.Array.Cols, arch.Array.Dataflow, p.M, p.K, p.N, sim.Pe, arch.Switches.ModelFill).Cycles;
        return (arch, cost, sim.Pe, p, cycles);
    }

    /// <summary>
    /// Maps the benchmarks' GEMM (<see cref="BenchGemm"/>) with a default mapper and with one <paramref name="change"/>
    /// configures, asserts that both choose the same mapping with the same score, and returns both mappers.
    /// </summary>
    public static (Mapper Default, Mapper Changed) SameOnBenchGemm(Action<Mapper> change)
    {
        var (arch, cost, pe, p, cycles) = BenchGemm();
        var mapper = new Mapper(arch, cost, new SimOptions(), pe);
        var changed = new Mapper(arch, cost, new SimOptions(), pe);
        change(changed);
        var (a, b) = (mapper.Map(p, cycles), changed.Map(p, cycles));
        Assert.Equal(Tiles(b), Tiles(a));
        Assert.Equal(b.Score, a.Score);
        return (mapper, changed);
    }

    /// <summary>The bundled designs with one on-chip level, edge-npu (the GEMM benchmarks' design) and scalesim-ideal among them.</summary>
    public static IEnumerable<(string File, ArchitectureSpec Arch)> OneOnChipLevel() =>
        BundledArchs.Files.Append("sweeps/edge-npu.yaml").Append("sweeps/scalesim-ideal.yaml")
            .Select(f => (f, BundledArchs.Load(f))).Where(d => new Mantissa.Sim.Mapping.ArchView(d.Item2).Shared.Length == 2);

    /// <summary><paramref name="baseArch"/> with a <paramref name="rows"/>×<paramref name="cols"/> array and every shared on-chip level's capacity drawn from [<paramref name="least"/>, <paramref name="most"/>).</summary>
    public static ArchitectureSpec Small(ArchitectureSpec baseArch, int rows, int cols, Random rng, int least, int most) => baseArch with
    {
        Array = baseArch.Array with { Rows = rows, Cols = cols },
        Memory = baseArch.Memory.Select((m, l) => l == 0 || m.PerPe ? m : m with { CapacityBytes = rng.Next(least, most) }).ToArray(),
    };

    /// <summary>A mapping's tiles and loop orders as text (a loop order is an array, so compare the tiles by their text).</summary>
    public static string Tiles(MapperResult r) =>
        string.Join("; ", r.Mapping.Levels.Select(t => $"{t.LevelName} {t.M}x{t.K}x{t.N} {string.Join("", t.Order)}"));
}
