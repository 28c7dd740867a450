using Mantissa.Arch.Model;
using Mantissa.Workloads;
using Mantissa.Sim.Results;

namespace Mantissa.Sim.Tests;

public class WorkloadRunTests
{
    [Fact]
    public void DecodeOfABigModelRunsAtWeightBytesOverDramBandwidth()
    {
        // Llama-2-7B decode (fp16): every weight crosses DRAM once per token, so on a 64×64 os array (gate_proj:
        // 172 folds × (4096 + 126) = 0.73M compute cycles against 90 MB / 64 B = 1.41M DRAM cycles) the step takes about
        // weight bytes / DRAM bandwidth; attention over a 128-token KV cache adds little
        var w = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, 1, null, 128));
        var arch = TestArchs.Systolic(64, 64, Dataflow.OS, dramBw: 64, glbBytes: 4 << 20, pe: TestArchs.FpMac());
        var r = TestArchs.Sim(arch).Run(w);
        // the embedding table is not streamed (a lookup reads one row), so count the GEMM weights
        double expected = w.Graph.Operators.Where(o => o.Gemm is { RightIsWeight: true }).Sum(o => o.Gemm!.Right.Bytes) / 64;
        Assert.InRange(r.Cycles, expected, expected * 1.05);
        Assert.All(r.Layers.Where(l => l.Gemm is { RightIsWeight: true }), l => Assert.Equal(Results.Bound.Memory, l.Bound));
        var m = r.Metrics();
        Assert.Equal(w.TokensProduced / r.LatencySeconds, m[Metric.TokensPerS], 6);
        Assert.Equal(w.TokensProduced / (r.EnergyPj * 1e-12), m[Metric.TokensPerJ], 6);
    }

    [Fact]
    public void TotalsAreSumsOverLayersAndRepeatedLayersAgree()
    {
        var w = WorkloadCatalog.Build("gpt2", new WorkloadOptions(Phase.Prefill, 1, 256));
        var arch = TestArchs.Systolic(32, 32, Dataflow.OS, dramBw: 32, glbBytes: 512 << 10, pe: TestArchs.FpMac());
        var r = TestArchs.Sim(arch).Run(w);
        Assert.Equal(w.Graph.Operators.Count, r.Layers.Count);
        Assert.Equal(r.Layers.Sum(l => l.Cycles), r.Cycles, 3);
        Assert.Equal(r.Layers.Sum(l => l.Energy.TotalPj), r.EnergyPj, 3);
        Assert.Equal(w.Macs, r.Macs);
        // the twelve transformer blocks have the same shapes: their fc layers cost the same
        var fc = r.Layers.Where(l => l.Name.EndsWith("mlp.c_fc", StringComparison.Ordinal) || l.Name.EndsWith("mlp.fc1", StringComparison.Ordinal)).ToList();
        Assert.True(fc.Count >= 12, string.Join(",", r.Layers.Take(20).Select(l => l.Name)));
        Assert.All(fc, l => Assert.Equal(fc[0].Cycles, l.Cycles));
        Assert.True(r.Metrics()[Metric.TokensPerS] > 0);
    }

    [Fact]
    public void CnnReportsFramesPerSecond()
    {
        var w = WorkloadCatalog.Build("resnet18", new WorkloadOptions(Phase.Prefill, 2));
        var r = TestArchs.Sim(TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 32, glbBytes: 1 << 20, pe: TestArchs.FpMac())).Run(w);
        var m = r.Metrics();
        Assert.Equal(2 / r.LatencySeconds, m[Metric.FramesPerS], 6);
        Assert.False(m.Has(Metric.TokensPerS));
    }

    [Fact]
    public void ARecipeThePeCannotRunIsRejectedWithTheLayerAndFormats()
    {
        var w = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, 1, null, 128, "fp16"));
        var ex = Assert.Throws<Mantissa.Arch.MantissaException>(() =>
            TestArchs.Sim(TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 32, glbBytes: 1 << 20)).Run(w));
        Assert.Contains("model.layers.0.self_attn.q_proj: fp16×fp16 cannot run on int_mac int8×int8", ex.Message);
    }

    [Fact]
    public void WidenedAndMinorityFormatsRunAtThePeFormatsWithACount()
    {
        // w4a8g128 on an int8 MAC: int4 weights widen exactly to int8 (every projection); the fp16 KV cache (attention)
        // and lm_head cannot, but are a minority of the MACs
        var w = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, 1, null, 128, "w4a8g128"));
        var r = TestArchs.Sim(TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 32, glbBytes: 1 << 20)).Run(w);
        int gemms = r.Layers.Count(l => l.Gemm is not null);
        Assert.Equal(gemms, r.FormatFallbacks);
        Assert.Equal(gemms, r.Metrics()[Metric.FormatFallbacks]);
        Assert.Contains(r.Layers, l => l.FormatNote == "model.layers.0.mlp.up_proj: int4×int8 widened exactly to int_mac int8×int8");
        Assert.Contains(r.Layers, l => l.FormatNote is { } n && n.StartsWith("lm_head: fp16×fp16 cannot run on int_mac int8×int8", StringComparison.Ordinal));
        // on its own formats nothing falls back
        var native = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, 1, null, 128, "fp16"));
        Assert.Equal(0, TestArchs.Sim(TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 32, glbBytes: 1 << 20, pe: TestArchs.FpMac())).Run(native).FormatFallbacks);
    }

    [Fact]
    public void CausalPrefillSkipsTheMaskedHalfOfAttentionComputeAndDecodeRefusesIt()
    {
        var arch = TestArchs.Systolic(32, 32, Dataflow.OS, dramBw: 32, glbBytes: 1 << 20, pe: TestArchs.FpMac());
        SimResult Run(Phase phase, int? seq, int? kv, bool causal) =>
            TestArchs.Sim(arch).Run(WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(phase, 1, seq, kv, Causal: causal)));
        var dense = Run(Phase.Prefill, 512, null, false);
        var causal = Run(Phase.Prefill, 512, null, true);
        Assert.True(causal.ComputeCycles < dense.ComputeCycles, $"{causal.ComputeCycles} vs {dense.ComputeCycles}");
        // the simulated MACs are the workload's causal count: 32 layers × 2 GEMMs × 32 heads × 128 × (512² − 512·513/2)
        Assert.Equal(32L * 2 * 32 * 128 * (512L * 512 - 512L * 513 / 2), dense.Macs - causal.Macs);
        for (int i = 0; i < dense.Layers.Count; i++)
        {
            var (d, c) = (dense.Layers[i], causal.Layers[i]);
            if (d.Kind is OpKind.AttentionScores or OpKind.AttentionContext)
            {
                // 513/1024 of the pairs are unmasked; each head's compute scales by that fraction (rounded up to a cycle)
                long heads = d.Gemm!.Value.Batch;
                Assert.Equal(Math.Ceiling(d.ComputeCycles / heads * 513.0 / 1024) * heads, c.ComputeCycles, 0);
                Assert.True(c.Cycles < d.Cycles);
            }
            else if (d.Kind != OpKind.Softmax) Assert.Equal(d.Cycles, c.Cycles);
            else Assert.True(c.Cycles <= d.Cycles, d.Name); // the workload counts causal softmax work too
        }
        // Decode masks nothing (the new token attends to the whole KV cache), so asking for it is an error, not a no-op.
        Assert.Throws<Mantissa.Arch.MantissaException>(() => Run(Phase.Decode, null, 512, true));
    }
}
