using Mantissa.Arch;

namespace Mantissa.Workloads.Tests;

/// <summary>Prefill attention is the full S×S square by default and the unmasked triangle with <c>Causal</c>.</summary>
public class CausalAttentionTests
{
    // Keys attended by tokens at 0-based positions first..last, each seeing min(p + 1, window) keys: summed one by one.
    private static long Pairs(long first, long last, long window)
    {
        long n = 0;
        for (long p = first; p <= last; p++) n += Math.Min(p + 1, window);
        return n;
    }

    [Fact]
    public void Default_counts_the_full_square_and_causal_the_triangle()
    {
        var dense = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Seq: 2048));
        var causal = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Seq: 2048, Causal: true));
        const string qk = "model.layers.0.self_attn.qk", pv = "model.layers.0.self_attn.pv";
        Assert.Equal(32L * 2048 * 2048 * 128, dense.Graph[qk].Macs);
        Assert.Equal(32L * (2048L * 2049 / 2) * 128, causal.Graph[qk].Macs);
        Assert.Equal(32L * (2048L * 2049 / 2) * 128, causal.Graph[pv].Macs);
        Assert.Equal(32L * (2048L * 2049 / 2) * 5, causal.Graph["model.layers.0.self_attn.softmax"].VectorOps);
        // Everything else is unchanged: the difference is 32 layers × 2 GEMMs × the masked half.
        long masked = 32L * 128 * (2048L * 2048 - 2048L * 2049 / 2);
        Assert.Equal(dense.Macs - 32 * 2 * masked, causal.Macs);
        // The score tensor keeps its dense shape, so traffic is unchanged and edges still agree.
        Assert.Equal(dense.Graph[qk].BytesWritten, causal.Graph[qk].BytesWritten);
        Assert.Contains("causal", causal.Graph[qk].Detail);
    }

    [Fact]
    public void Chunked_prefill_counts_each_token_against_its_own_prefix()
    {
        // 512 new tokens at positions 1536..2047 of a 2048-token context.
        var w = WorkloadCatalog.Build("llama-3-8b", new WorkloadOptions(Seq: 512, Kv: 2048, Causal: true));
        Assert.Equal(32L * Pairs(1536, 2047, long.MaxValue) * 128, w.Graph["model.layers.5.self_attn.qk"].Macs);
    }

    [Fact]
    public void Sliding_window_caps_each_token_at_the_window()
    {
        var w = WorkloadCatalog.Build("mistral-7b", new WorkloadOptions(Seq: 8192, Causal: true));
        Assert.Equal(32L * Pairs(0, 8191, 4096) * 128, w.Graph["model.layers.0.self_attn.qk"].Macs);
        Assert.Equal(4096L * 4097 / 2 + 4096L * 4096, Pairs(0, 8191, 4096));
    }

    [Fact]
    public void Decode_refuses_causal_because_nothing_is_masked()
    {
        var e = Assert.Throws<MantissaException>(() =>
            WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, Kv: 1000, Causal: true)));
        Assert.Contains("--causal applies to prefill", e.Message);
    }

    [Fact]
    public void Encoders_and_cnns_refuse_causal()
    {
        var e = Assert.Throws<MantissaException>(() => WorkloadCatalog.Build("bert-base", new WorkloadOptions(Causal: true)));
        Assert.Contains("--causal applies to decoder LLMs", e.Message);
        Assert.Throws<MantissaException>(() => WorkloadCatalog.Build("resnet18", new WorkloadOptions(Causal: true)));
    }
}
