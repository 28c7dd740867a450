using Mantissa.Arch.Model;
using Mantissa.Sim.Fusion;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Results;
using Mantissa.Workloads;

namespace Mantissa.Sim.Tests;

/// <summary>Layer fusion: activations kept on chip never cost more DRAM than layer by layer, and never less than the compulsory traffic.</summary>
public class FusionTests
{
    internal static Workload Build(string model, ArchitectureSpec arch, int? seq = null) =>
        WorkloadCatalog.Build(model, new WorkloadOptions(Phase.Prefill, 1, seq, null, FormatFit.DefaultRecipe(arch.Pe) ?? "fp16"));

    private static double Dram(LayerResult l) => l.Traffic[MemoryLevels.Dram].ReadBytes + l.Traffic[MemoryLevels.Dram].WriteBytes;
    private static double Dram(SimResult r) => r.Traffic[MemoryLevels.Dram].ReadBytes + r.Traffic[MemoryLevels.Dram].WriteBytes;

    public static IEnumerable<object[]> Cases =>
        BundledArchs.Files.SelectMany(f => new[] { new object[] { f, "resnet18", 0 }, new object[] { f, "gpt2", 128 } });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fused_DRAM_is_at_most_layer_by_layer_and_at_least_each_groups_compulsory_traffic(string file, string model, int seq)
    {
        var arch = BundledArchs.Load(file);
        var w = Build(model, arch, seq == 0 ? null : seq);
        var fused = BundledArchs.Sim(file).Run(w);
        var off = BundledArchs.Sim(file, new SimOptions { Fusion = false }).Run(w);

        // off is layer by layer, and the fused run's own unfused figure is that same run
        Assert.False(off.Fusion!.Enabled);
        Assert.Empty(off.Fusion.Groups);
        Assert.Equal(Dram(off), fused.Fusion!.UnfusedDramBytes, 6);
        Assert.Equal(Dram(off), off.Fusion.DramBytes, 6);
        Assert.Equal(Dram(fused), fused.Fusion.DramBytes, 6);
        for (int i = 0; i < off.Layers.Count; i++)
        {
            Assert.Equal(off.Layers[i].Name, fused.Layers[i].Name);
            Assert.True(Dram(fused.Layers[i]) <= Dram(off.Layers[i]) + 1e-6, $"{fused.Layers[i].Name}: fused {Dram(fused.Layers[i])} > unfused {Dram(off.Layers[i])}");
            if (fused.Layers[i].FusionGroup is null) Assert.Equal(Dram(off.Layers[i]), Dram(fused.Layers[i]), 6);
        }
        foreach (var g in fused.Fusion.Groups)
        {
            Assert.True(g.DramBytes >= g.CompulsoryDramBytes * (1 - 1e-9), $"group {g.Index}: {g.DramBytes} < compulsory {g.CompulsoryDramBytes}");
            Assert.True(g.SavedBytes > 0, $"group {g.Index} saves nothing");
            long capacity = arch.Memory.First(m => m.Name == fused.Fusion.Level).CapacityBytes;
            Assert.True(capacity == 0 || g.PeakResidentBytes <= capacity, $"group {g.Index} holds {g.PeakResidentBytes} B in {capacity} B");
            Assert.Equal(g.DramBytes, fused.Layers.Where(l => l.FusionGroup == g.Index).Sum(Dram), 6);
        }
        Assert.Equal(fused.Fusion.SavedBytes, fused.Fusion.Groups.Sum(g => g.SavedBytes), 3);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_energy_breakdown_of_a_fused_run_sums_to_its_total(string file, string model, int seq)
    {
        var arch = BundledArchs.Load(file);
        var r = BundledArchs.Sim(file).Run(Build(model, arch, seq == 0 ? null : seq));
        foreach (var l in r.Layers)
            Assert.Equal(l.Energy.TotalPj, l.Energy.ComputePj + l.Energy.Levels.Sum(x => x.Pj) + l.Energy.LeakagePj, l.Energy.TotalPj * 1e-12);
        Assert.Equal(r.EnergyPj, r.Layers.Sum(l => l.Energy.TotalPj), r.EnergyPj * 1e-9);
        Assert.Equal(r.EnergyPj, r.Energy.ComputePj + r.Energy.Levels.Sum(x => x.Pj) + r.Energy.LeakagePj, r.EnergyPj * 1e-12);
    }

    [Fact]
    public void ResNet50_on_the_TPU_keeps_every_activation_in_the_unified_buffer()
    {
        // 24 MiB of unified buffer hold ResNet-50's largest live set at batch 1 (two 56×56×256 int8 maps ≈ 1.6 MB plus the
        // mapper's tiles), so the whole network is one group: DRAM carries only the weights, the image and the logits.
        var arch = BundledArchs.Load("tpu-int8.yaml");
        var w = Build("resnet50", arch);
        var r = BundledArchs.Sim("tpu-int8.yaml").Run(w);
        var g = Assert.Single(r.Fusion!.Groups);
        Assert.Equal("unified_buffer", r.Fusion.Level);
        Assert.Equal(w.Graph.Operators.Count, g.Operators.Count);
        double weights = w.Graph.WeightBytes;
        var image = w.Graph.Inputs.Sum(t => t.Bytes);
        var logits = w.Graph.Operators[^1].BytesWritten;
        // a GEMM's bias (fc.bias) is not part of its GEMM view, so no mapping reads it: left out here as in the traffic
        double bias = w.Graph.Operators.Where(o => o.Gemm is not null)
            .Sum(o => o.Weights.Where(t => t.Name != o.Gemm!.Right.Name).Sum(t => t.Bytes));
        Assert.Equal(2000, bias); // 1,000 fp16 biases
        Assert.Equal(weights - bias + image + logits, g.CompulsoryDramBytes, 0);
        // the mapping reads every weight once: DRAM traffic is the compulsory traffic
        Assert.Equal(g.CompulsoryDramBytes, g.DramBytes, 0);
        // every convolution output (11.1 MB at int8) no longer goes to DRAM and back
        double convOut = w.Graph.Operators.Where(o => o.Kind == OpKind.Conv2d).Sum(o => o.BytesWritten);
        Assert.InRange(convOut, 11e6, 11.2e6);
        Assert.True(r.Fusion.SavedBytes > 2 * convOut);
        Assert.All(r.Layers.Where(l => l.Kind == OpKind.Conv2d), l => Assert.Equal(0, l.Traffic[MemoryLevels.Dram].WriteBytes));
    }

    [Fact]
    public void A_tensor_too_big_for_the_buffer_goes_through_DRAM()
    {
        var relu = new SimOperator("a", OpKind.Activation, null, 1 << 20, 2 << 20, 2 << 20);
        SimOperator Op(string name, string input, string output) => relu with
        {
            Name = name, Uses = new[] { new TensorUse(input, 2 << 20, false), new TensorUse(output, 2 << 20, true) },
        };
        var ops = new[] { Op("a", "in", "x"), Op("b", "x", "out") };
        var fusible = new[] { new FusibleTensor("x", 2 << 20, 0, 1) };
        var small = TestArchs.Sim(TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 16, glbBytes: 1 << 20, glbBw: 1024)).RunOperators(ops, fusible);
        Assert.Empty(small.Fusion!.Groups);
        Assert.Equal(8 << 20, Dram(small));
        var big = TestArchs.Sim(TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 16, glbBytes: 2 << 20, glbBw: 1024)).RunOperators(ops, fusible);
        Assert.Equal(new[] { "a", "b" }, Assert.Single(big.Fusion!.Groups).Operators);
        Assert.Equal(4 << 20, Dram(big)); // only "in" read and "out" written
        Assert.Equal(4 << 20, big.Fusion.Groups[0].CompulsoryDramBytes);
    }

    [Fact]
    public void The_plan_keeps_the_set_that_saves_the_most_not_the_first_that_fits()
    {
        // capacity 5 MiB. x (1 MiB, ops 0..2) and y (4.5 MiB, ops 1..2) cannot both stay (5.5 MiB at op 1); z (3 MiB,
        // ops 2..3) fits beside x but not beside y. Each is written once and read once, so keeping one saves twice its
        // bytes: {x, z} saves 8 MiB, {y} 9 MiB. First come first served would keep x and then z.
        const long MiB = 1 << 20;
        var arch = TestArchs.Systolic(32, 32, Dataflow.WS, glbBytes: 5 * MiB);
        var sizes = new Dictionary<string, double> { ["in"] = MiB, ["x"] = MiB, ["y"] = 4.5 * MiB, ["z"] = 3 * MiB, ["out"] = MiB };
        SimOperator Op(string name, string[] reads, string writes) => new(name, OpKind.Elementwise, null, 1,
            reads.Sum(r => sizes[r]), sizes[writes])
        {
            Uses = reads.Select(r => new TensorUse(r, sizes[r], false)).Append(new TensorUse(writes, sizes[writes], true)).ToList(),
        };
        var ops = new[] { Op("op0", new[] { "in" }, "x"), Op("op1", new[] { "x" }, "y"), Op("op2", new[] { "x", "y" }, "z"), Op("op3", new[] { "z" }, "out") };
        var fusible = new[] { new FusibleTensor("x", MiB, 0, 2), new FusibleTensor("y", 4.5 * MiB, 1, 2), new FusibleTensor("z", 3 * MiB, 2, 3) };
        var unfused = TestArchs.Sim(arch).RunOperators(ops).Layers;
        var (resident, _, live) = FusionPlanner.Plan(arch, new ArchView(arch), ops, unfused, fusible);
        Assert.Equal(new[] { "y" }, resident.OrderBy(n => n));
        Assert.Equal(new[] { 0, 4.5 * MiB, 4.5 * MiB, 0 }, live);
        var r = TestArchs.Sim(arch).RunOperators(ops, fusible);
        Assert.Equal(r.Fusion!.UnfusedDramBytes - 9 * MiB, r.Fusion.DramBytes);
    }

    // Three int8 GEMMs x0·w1 → x1, x1·w2 → x2, x2·w3 → out (256×256 each, 64 KiB), x1 and x2 fusible.
    private static (SimOperator[] Ops, FusibleTensor[] Fusible, double Tensor) GemmChain(Simulator sim)
    {
        var p = sim.DefaultProblem(1, 256, 256, 256);
        double bytes = 256 * 256;
        SimOperator Gemm(string name, string input, string weight, string output) => new(name, OpKind.Gemm, p)
        {
            Uses = new[] { new TensorUse(input, bytes, false, Compute.Tensor.Left), new TensorUse(weight, bytes, false, Compute.Tensor.Right),
                new TensorUse(output, bytes, true, Compute.Tensor.Output) },
        };
        return (new[] { Gemm("g1", "x0", "w1", "x1"), Gemm("g2", "x1", "w2", "x2"), Gemm("g3", "x2", "w3", "out") },
            new[] { new FusibleTensor("x1", bytes, 0, 1), new FusibleTensor("x2", bytes, 1, 2) }, bytes);
    }

    [Theory]
    // 1 MiB holds every operand: with the energy objective (which never buys latency with traffic) the fused chain moves
    // exactly its compulsory traffic. 160 KiB holds a kept activation (64 KiB) only beside smaller tiles, which the
    // mapper chooses knowing the activation is there. The default (latency) objective may re-read weights to overlap
    // DRAM with compute, but never moves more than layer by layer.
    [InlineData(1024, MappingObjective.Energy, true)]
    [InlineData(160, MappingObjective.Energy, false)]
    [InlineData(1024, MappingObjective.Latency, false)]
    public void A_fused_GEMM_chain_moves_its_compulsory_DRAM_bytes_and_never_more_than_layer_by_layer(int kib, MappingObjective objective, bool roomy)
    {
        var arch = TestArchs.Systolic(16, 16, Dataflow.WS, dramBw: 16, glbBytes: kib * 1024L, glbBw: 256);
        var options = new SimOptions { Objective = objective };
        var sim = TestArchs.Sim(arch, options);
        var (ops, fusible, bytes) = GemmChain(sim);
        var fused = sim.RunOperators(ops, fusible);
        var off = TestArchs.Sim(arch, options).RunOperators(ops);
        var g = Assert.Single(fused.Fusion!.Groups);
        Assert.Equal(new[] { "x1", "x2" }, g.ResidentTensors);
        // compulsory with fusion: x0, the three weights and out, once each
        Assert.Equal(5 * bytes, g.CompulsoryDramBytes);
        for (int i = 0; i < ops.Length; i++)
            Assert.True(Dram(fused.Layers[i]) <= Dram(off.Layers[i]), $"{ops[i].Name}: fused {Dram(fused.Layers[i])} > unfused {Dram(off.Layers[i])}");
        if (roomy) Assert.Equal(5 * bytes, Dram(fused));
        Assert.True(Dram(fused) >= 5 * bytes);
        // every fused GEMM was mapped with its kept operands in the buffer: their bytes and its other tiles fit together
        var spec = arch.Memory[1];
        foreach (var l in fused.Layers)
        {
            var onChip = l.Gemm!.Value.OnChip;
            Assert.Equal(1, onChip.Level);
            Assert.True(onChip.Tensors != TensorSet.None);
            var tile = l.Mapping!.Levels.First(t => t.LevelIndex == 1);
            double tiles = Search.Mapper.TileBytes(spec.Holds & ~onChip.Untiled, l.Gemm.Value, tile.M, tile.K, tile.N) * 2;
            Assert.True(onChip.ReservedBytes + tiles <= spec.CapacityBytes, $"{l.Name}: {tiles} B of tiles beside {onChip.ReservedBytes} B kept");
            var dram = l.Traffic[MemoryLevels.Dram];
            if ((onChip.Tensors & TensorSet.Inputs) != 0) Assert.Equal(0, dram.ReadWords[(int)Compute.Tensor.Left]);
            if ((onChip.Tensors & TensorSet.Outputs) != 0) Assert.Equal(0, dram.WriteWords[(int)Compute.Tensor.Output]);
        }
        // g2 holds x1 (its input) and x2 (its output) at once
        Assert.Equal(2 * bytes, fused.Layers[1].Gemm!.Value.OnChip.ReservedBytes);
    }

    [Fact]
    public void Fusion_candidates_are_found_once_per_workload_and_do_not_depend_on_the_design()
    {
        var tpu = BundledArchs.Load("tpu-int8.yaml");
        var other = BundledArchs.Load("fp16-baseline.yaml");
        var w = Build("gpt2", tpu, 128);
        var a = WorkloadLowering.CandidatesOf(w, WorkloadLowering.Lower(w, tpu).ToList());
        var b = WorkloadLowering.CandidatesOf(w, WorkloadLowering.Lower(w, other).ToList());
        Assert.Same(a, b);
        var fresh = WorkloadLowering.FusibleTensors(w, WorkloadLowering.Lower(w, other).ToList());
        Assert.Equal(fresh, a.Tensors);
        Assert.Equal(12, a.Chains.Count); // one attention block per layer
        Assert.NotSame(a, WorkloadLowering.CandidatesOf(Build("gpt2", tpu, 64), WorkloadLowering.Lower(Build("gpt2", tpu, 64), tpu).ToList()));
    }

    [Fact]
    public void A_bare_GEMM_has_no_fusion_schedule()
    {
        Assert.Null(BundledArchs.Sim("tpu-int8.yaml").RunGemm(64, 64, 64).Fusion);
    }

    [Fact]
    public void Llama_prefill_attention_is_tiled_and_its_score_matrix_never_reaches_DRAM()
    {
        // 32 heads × 2048 × 2048 scores (134 MB at int8, 268 MB after the fp16 softmax) cannot stay whole in 24 MiB, but
        // one FlashAttention tile can: qk writes nothing to DRAM, softmax and its convert touch no DRAM, pv reads no P.
        var arch = BundledArchs.Load("tpu-int8.yaml");
        var w = Build("llama-2-7b", arch, 2048);
        var r = BundledArchs.Sim("tpu-int8.yaml").Run(w);
        Assert.Equal(32, r.Fusion!.Groups.Count(g => g.TiledAttention));
        foreach (var l in r.Layers.Where(l => l.Name.StartsWith("model.layers.", StringComparison.Ordinal)))
        {
            var dram = l.Traffic[MemoryLevels.Dram];
            if (l.Kind == OpKind.AttentionScores) Assert.Equal(0, dram.WriteBytes);
            if (l.Name.EndsWith(".softmax", StringComparison.Ordinal) || l.Name.EndsWith(".softmax.to_int8", StringComparison.Ordinal))
                Assert.Equal(0, dram.ReadBytes + dram.WriteBytes);
            if (l.Kind == OpKind.AttentionContext) Assert.Equal(0, dram.ReadWords[(int)Compute.Tensor.Left]);
        }
        // each tiled group saves at least the score tensors' round trips (written once, read once each)
        var scores = w.Graph.Operators.Where(o => o.Name.StartsWith("model.layers.0.self_attn.", StringComparison.Ordinal) &&
                                                   o.Kind is OpKind.AttentionScores or OpKind.Softmax || o.Name == "model.layers.0.self_attn.softmax.to_int8")
            .Sum(o => o.Outputs[0].Bytes);
        Assert.Equal(4 * 32 * 2048 * 2048, scores); // int8 + fp16 + int8
        var first = r.Fusion.Groups.First(g => g.TiledAttention);
        Assert.True(first.SavedBytes >= 2 * scores, $"{first.SavedBytes} < {2 * scores}");
        long capacity = arch.Memory.First(m => m.Name == "unified_buffer").CapacityBytes;
        Assert.All(r.Fusion.Groups, g => Assert.InRange(g.PeakResidentBytes, 0, capacity));
        Assert.True(r.Cycles < BundledArchs.Sim("tpu-int8.yaml", new SimOptions { Fusion = false }).Run(w).Cycles);
    }

    [Theory]
    // GPT-2 at 1,024 tokens: 12 × 1024 × 1024 scores. With 8 MiB of unified buffer one tile fits beside the kept
    // activations; with 2 MiB it does not, and the scores go to DRAM and back.
    [InlineData(8, true)]
    [InlineData(2, false)]
    public void Score_bytes_are_absent_from_DRAM_exactly_when_a_tile_fits(int mib, bool fits)
    {
        var set = ("memory.unified_buffer.capacity_mib", mib.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var arch = BundledArchs.Load("tpu-int8.yaml", set);
        var w = Build("gpt2", arch, 1024);
        var r = BundledArchs.Sim("tpu-int8.yaml", null, set).Run(w);
        var qk = r.Layers.First(l => l.Kind == OpKind.AttentionScores);
        double scoreBytes = w.Graph[qk.Name].Outputs[0].Bytes;
        Assert.Equal(12.0 * 1024 * 1024, scoreBytes);
        Assert.Equal(fits ? 0 : scoreBytes, qk.Traffic[MemoryLevels.Dram].WriteBytes);
        Assert.Equal(fits ? 12 : 0, r.Layers.Count(l => l.Kind == OpKind.AttentionScores && l.FusionGroup is { } g && r.Fusion!.Groups[g - 1].TiledAttention));
    }
}
