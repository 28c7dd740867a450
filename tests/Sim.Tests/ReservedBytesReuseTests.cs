using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;
using Mantissa.Workloads;

namespace Mantissa.Sim.Tests;

/// <summary>
/// Fused GEMMs that differ only in the bytes fusion reserves in the level share one search when that search's fit
/// questions answer alike for both (<see cref="Fusion.ReservedBytesMemo"/>, <see cref="UsableWindow"/>), and one
/// repricing of their unfused mapping. Both must give exactly what searching and pricing each on its own gives: every
/// layer bit for bit, on the bundled designs and on edge-npu arrays of the Llama sweeps' four PE kinds.
/// </summary>
public class ReservedBytesReuseTests
{
    private static readonly string[] Pes =
    {
        "{kind: fp_mac, weights: fp16, activations: fp16, accumulator: fp32, dot_width: 1}",
        "{kind: lut, weights: int4, activations: fp16, accumulator: fp32, g: 4, lut_entries: fp16, bits_per_cycle: 1, dot_width: 4}",
        "{kind: bit_serial, weights: int4, activations: fp16, accumulator: fp32, dot_width: 4, bits_per_cycle: 2, serial_operand: weights, group_size: 128}",
        "{kind: shift_add, weights: int4, activations: fp16, accumulator: fp32, dot_width: 4, group_size: 128}",
    };

    public static IEnumerable<object[]> Designs =>
        BundledArchs.Files.Select(f => new object[] { f, "", 0, 0, "decode" })
            .Concat(BundledArchs.Files.Take(3).Select(f => new object[] { f, "", 0, 0, "prefill" }))
            .Concat(new (int Rows, int Cols)[] { (4, 4), (8, 128), (64, 64), (124, 20) }
                .SelectMany((a, i) => new[] { new object[] { "sweeps/edge-npu.yaml", Pes[i], a.Rows, a.Cols, "decode" },
                                              new object[] { "sweeps/edge-npu.yaml", Pes[(i + 1) % 4], a.Rows, a.Cols, "prefill" } }));

    private static ArchitectureSpec Arch(string file, string pe, int rows, int cols) => pe == "" ? BundledArchs.Load(file)
        : BundledArchs.Load(file, ("pe", pe), ("array.rows", rows.ToString()), ("array.cols", cols.ToString()));

    [Theory]
    [MemberData(nameof(Designs))]
    public void A_run_is_the_same_with_and_without_sharing_searches_across_reserved_bytes(string file, string pe, int rows, int cols, string phase)
    {
        var arch = Arch(file, pe, rows, cols);
        var cost = CostModel.Evaluate(arch);
        string recipe = pe == "" ? FormatFit.DefaultRecipe(arch.Pe) ?? "fp16" : "w4a16g128";
        var w = WorkloadCatalog.Build("llama-2-7b", phase == "decode"
            ? new WorkloadOptions(Phase.Decode, 1, null, 2048, recipe) : new WorkloadOptions(Phase.Prefill, 1, 256, null, recipe));
        var (on, off) = (new MappingCache(), new MappingCache());
        var shared = new Simulator(arch, cost, null, on).Run(w);
        var alone = new Simulator(arch, cost, null, off) { ReusesAcrossReservedBytes = false }.Run(w);
        Assert.Equal(alone.Layers.Count, shared.Layers.Count);
        for (int i = 0; i < alone.Layers.Count; i++) RunReuseTests.AssertSame(alone.Layers[i], shared.Layers[i], $"{file} {rows}x{cols} {phase} {alone.Layers[i].Name}");
        Assert.Equal(BitConverter.DoubleToInt64Bits(alone.Cycles), BitConverter.DoubleToInt64Bits(shared.Cycles));
        Assert.Equal(BitConverter.DoubleToInt64Bits(alone.EnergyPj), BitConverter.DoubleToInt64Bits(shared.EnergyPj));
        RunReuseTests.AssertTotals(shared);
        Assert.True(on.Misses <= off.Misses, $"{on.Misses} searches shared, {off.Misses} alone");
    }

    [Fact]
    public void The_llama_decode_step_on_a_64x64_lut_array_searches_fewer_fused_gemms()
    {
        // measured: 19 searches alone (6 unfused shapes, 13 fused variants), 13 shared
        var arch = Arch("sweeps/edge-npu.yaml", Pes[1], 64, 64);
        var cost = CostModel.Evaluate(arch);
        var w = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, 1, null, 2048, "w4a16g128"));
        var (on, off) = (new MappingCache(), new MappingCache());
        new Simulator(arch, cost, null, on).Run(w);
        new Simulator(arch, cost, null, off) { ReusesAcrossReservedBytes = false }.Run(w);
        Assert.Equal(19, off.Misses);
        Assert.Equal(13, on.Misses);
    }

    /// <summary>
    /// The window a search reports holds: searching the same fused GEMM afresh with any reserved bytes whose usable
    /// bytes it contains gives the same mapping, traffic and score; and some other reserved bytes fall in it.
    /// </summary>
    [Theory]
    [InlineData(1, 4096, 4096, 16.0, 4.125)]
    [InlineData(1, 4096, 11008, 16.0, 4.125)]
    [InlineData(64, 128, 2048, 16.0, 16.0)]
    public void A_search_maps_alike_every_reserved_size_inside_its_window(long m, long k, long n, double left, double right)
    {
        var arch = Arch("sweeps/edge-npu.yaml", Pes[0], 32, 32);
        var cost = CostModel.Evaluate(arch);
        var mapper = new Mapper(arch, cost, new SimOptions(), PeThroughput.For(arch.Pe));
        int level = mapper.View.FusionLevel!.Value;
        var spec = arch.Memory[level];
        var p0 = new GemmProblem(1, m, k, n, left, right, 16, 32);
        double est = LayerCompute.Estimate(arch, new SimOptions(), p0, PeThroughput.For(arch.Pe), arch.Array.Dataflow).Cycles;
        GemmProblem At(double reserved) => p0 with { OnChip = new OnChipOperands(TensorSet.Inputs, level, reserved) };
        var first = mapper.Map(At(20_000), est);
        var window = mapper.LastWindow;
        Assert.True(window.Contains(Mapspace.Usable(spec, 20_000)));
        int inside = 0;
        for (double reserved = 0; reserved < spec.CapacityBytes / 2; reserved += spec.CapacityBytes / 64.0)
        {
            if (!window.Contains(Mapspace.Usable(spec, reserved))) continue;
            inside++;
            var again = mapper.Map(At(reserved), est);
            Assert.Equal(first.Score, again.Score);
            Assert.Equal(first.Evaluated, again.Evaluated);
            Assert.Equal(first.Mapping.Levels.Select(t => (t.M, t.K, t.N, string.Join(",", t.Order))), again.Mapping.Levels.Select(t => (t.M, t.K, t.N, string.Join(",", t.Order))));
            Assert.Equal(first.Traffic.Select(t => (t.ReadBytes, t.WriteBytes)), again.Traffic.Select(t => (t.ReadBytes, t.WriteBytes)));
        }
        Assert.True(inside > 1, $"only {inside} reserved sizes in the window [{window.FitMax}, {window.MissMin})");
    }
}
