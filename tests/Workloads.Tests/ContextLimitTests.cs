using Mantissa.Arch;

namespace Mantissa.Workloads.Tests;

/// <summary>Context lengths are checked against the model's position limit, and counts that would overflow are refused.</summary>
public class ContextLimitTests
{
    private static string Error(string model, WorkloadOptions o) => Assert.Throws<MantissaException>(() => WorkloadCatalog.Build(model, o)).Message;

    [Fact]
    public void Decode_kv_past_max_position_embeddings_names_option_value_and_limit()
    {
        string m = Error("llama-2-7b", new WorkloadOptions(Phase.Decode, Kv: 999_999_999));
        Assert.Contains("--kv 999999999", m);
        Assert.Contains("max_position_embeddings = 4096", m);
        Assert.Contains("--allow-long-context", m);
    }

    [Fact]
    public void Prefill_seq_past_the_limit_names_seq()
    {
        string m = Error("llama-3-8b", new WorkloadOptions(Seq: 8193));
        Assert.Contains("--seq 8193", m);
        Assert.Contains("max_position_embeddings = 8192", m);
        // At the limit it builds.
        Assert.Equal(8192, WorkloadCatalog.Build("llama-3-8b", new WorkloadOptions(Seq: 8192)).Kv);
    }

    [Fact]
    public void Learned_position_tables_refuse_even_with_the_override()
    {
        string m = Error("gpt2", new WorkloadOptions(Phase.Decode, Kv: 1025, AllowLongContext: true));
        Assert.Contains("--kv 1025", m);
        Assert.Contains("n_positions = 1024", m);
        Assert.Contains("opt-6.7b", Error("opt-6.7b", new WorkloadOptions(Seq: 4000)));
    }

    [Fact]
    public void Override_lets_a_rope_model_run_long_and_counts_scale_linearly()
    {
        var o = new WorkloadOptions(Phase.Decode, Kv: 16384, AllowLongContext: true);
        var w = WorkloadCatalog.Build("llama-2-7b", o);
        Assert.Equal(16384, w.Kv);
        // Scores per layer: 32 heads × 128 × 16384 keys.
        Assert.Equal(32L * 128 * 16384, w.Graph["model.layers.0.self_attn.qk"].Macs);
    }

    [Fact]
    public void Config_without_max_position_embeddings_is_not_bounded()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"mantissa-ctx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "config.json");
            File.WriteAllText(path, """
                {"model_type": "llama", "hidden_size": 256, "num_hidden_layers": 2, "num_attention_heads": 4,
                 "intermediate_size": 512, "vocab_size": 1000}
                """);
            var w = WorkloadCatalog.Build(path, new WorkloadOptions(Phase.Decode, Kv: 100_000));
            Assert.Equal(100_000, w.Kv);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Counts_that_overflow_64_bits_are_an_error_not_a_wrapped_number()
    {
        // 32 heads × (2^30)² score entries do not fit a long.
        string m = Error("llama-2-7b", new WorkloadOptions(Seq: 1 << 30, AllowLongContext: true));
        Assert.Contains("--seq 1073741824", m);
        Assert.Contains("overflow", m);
        string b = Error("llama-2-7b", new WorkloadOptions(Batch: int.MaxValue, Seq: 4096));
        Assert.Contains("batch 2147483647", b);
        Assert.Contains("overflow", b);
        Assert.Contains("overflow", Error("resnet50", new WorkloadOptions(Batch: int.MaxValue, ImageSize: 1 << 20)));
    }
}
