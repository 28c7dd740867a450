using Mantissa.Sim.Serving;
using Mantissa.Workloads;

namespace Mantissa.Sim.Tests;

/// <summary>Serving figures: KV bytes per sequence and the DRAM fit by hand, TTFT/TPOT from the two phases' simulations.</summary>
public class ServingTests
{
    private static Workload Decode(string model, int kv, string precision = "fp16", int batch = 1) =>
        WorkloadCatalog.Build(model, new WorkloadOptions(Phase.Decode, batch, Kv: kv, Precision: precision));

    [Fact]
    public void Kv_bytes_per_sequence_count_every_layer_k_and_v_at_the_cache_format()
    {
        // Llama-2-7B: 32 layers x (K + V) x 32 heads x 128 x 1024 tokens x 2 bytes = 512 MiB; batch does not change it.
        Assert.Equal(2.0 * 32 * 4096 * 1024 * 2, DramFit.KvBytesPerSequence(Decode("llama-2-7b", 1024)));
        Assert.Equal(2.0 * 32 * 4096 * 1024 * 2, DramFit.KvBytesPerSequence(Decode("llama-2-7b", 1024, batch: 4)));
        // Mistral's 4096-token window caps the cache: GQA 8 KV heads x 128, 32 layers.
        Assert.Equal(2.0 * 32 * 8 * 128 * 4096 * 2, DramFit.KvBytesPerSequence(Decode("mistral-7b", 8192)));
    }

    [Fact]
    public void Max_batch_is_what_fits_beside_the_weights()
    {
        var w = Decode("llama-2-7b", 1024);
        long gib16 = 16L << 30;
        // (16 GiB - 13,476,831,232 B of fp16 weights) / 512 MiB = 6.9 -> 6
        Assert.Equal(13_476_831_232, w.WeightBytes);
        Assert.Equal(6, DramFit.MaxBatch(w, gib16));
        Assert.Equal(0, DramFit.MaxBatch(w, 8L << 30));
        Assert.Null(DramFit.MaxBatch(w, 0));
        Assert.Null(DramFit.MaxBatch(WorkloadCatalog.Build("resnet18", new WorkloadOptions()), gib16));
        // w4 weights leave room for more sequences: (16 GiB - 3,864,010,752 B) / 512 MiB = 24.8 -> 24
        Assert.Equal(24, DramFit.MaxBatch(Decode("llama-2-7b", 1024, "w4a16g128"), gib16));
    }

    [Fact]
    public void Tpot_of_a_batch_1_decode_on_the_tpu_sits_on_the_dram_roofline()
    {
        // TPU v1's DDR3 streams 34 GB/s (tpu-int8.yaml, Jouppi et al. 2017): a batch-1 decode step reads every GEMM
        // weight and the KV cache once, so its time is at least those bytes over the bandwidth and, being memory
        // bound, not much more.
        var sim = BundledArchs.Sim("tpu-int8.yaml");
        var s = ServingFigures.Run(sim, "llama-2-7b", new WorkloadOptions(Batch: 1, Seq: 512, Precision: "w8a8"));
        var decode = Decode("llama-2-7b", 512, "w8a8");
        double bytes = decode.Graph.Operators.Where(o => o.Gemm is { RightIsWeight: true }).Sum(o => o.Gemm!.Right.Bytes)
                       + DramFit.KvBytesPerSequence(decode);
        double floor = bytes / 34e9;
        Assert.InRange(s.TpotS, 0.99 * floor, 1.10 * floor);
        Assert.Equal(1 / s.TpotS, s.DecodeTokensPerS, 9);
        Assert.Equal(sim.Run(WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Seq: 512, Precision: "w8a8"))).LatencySeconds, s.TtftS);
        Assert.True(s.TtftS > s.TpotS);
        Assert.Equal((512, 512, 8L << 30), (s.Seq, s.Kv, s.DramCapacityBytes));
        // (8 GiB - 7,000,825,856 B) / 256 MiB = 5.9 -> 5
        Assert.Equal(5, s.MaxBatch);
    }

    [Fact]
    public void Serving_figures_refuse_models_without_a_kv_cache()
    {
        var e = Assert.Throws<Arch.MantissaException>(() => ServingFigures.Run(BundledArchs.Sim("tpu-int8.yaml"), "resnet18", new WorkloadOptions()));
        Assert.Contains("serving figures apply to LLMs", e.Message);
    }
}
