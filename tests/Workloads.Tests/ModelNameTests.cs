namespace Mantissa.Workloads.Tests;

/// <summary>A config.json model is named after its <c>_name_or_path</c> or directory, never "config"; an explicit name wins.</summary>
public class ModelNameTests : IDisposable
{
    private const string Tiny = """
        { "model_type": "llama", "hidden_size": 64, "num_hidden_layers": 1, "num_attention_heads": 4,
          "intermediate_size": 128, "vocab_size": 100 NAME }
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"mantissa-names-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    private string Config(string dir, string? nameOrPath)
    {
        string d = Path.Combine(_root, dir);
        Directory.CreateDirectory(d);
        string path = Path.Combine(d, "config.json");
        File.WriteAllText(path, Tiny.Replace("NAME", nameOrPath is null ? "" : $", \"_name_or_path\": \"{nameOrPath}\""));
        return path;
    }

    private static Workload Build(string path, string? name = null) => WorkloadCatalog.Build(path, new WorkloadOptions(Phase.Decode, Kv: 8, Name: name));

    [Fact]
    public void A_config_without_name_or_path_is_named_after_its_directory()
    {
        string path = Config("qwen25-7b", null);
        Assert.Equal("qwen25-7b", Build(path).Model);
        Assert.Equal("qwen25-7b", Build(Path.GetDirectoryName(path)!).Model);
        Assert.Equal("qwen25-7b", WorkloadCatalog.NameOf(path));
    }

    [Fact]
    public void Name_or_path_gives_its_last_segment_a_hub_id_or_a_local_path()
    {
        Assert.Equal("Llama-2-7b-hf", Build(Config("snapshots/abc123", "meta-llama/Llama-2-7b-hf")).Model);
        Assert.Equal("my-llama", Build(Config("x", "/home/me/ckpt/my-llama/")).Model);
        // An empty _name_or_path (what some save_pretrained calls write) falls back to the directory.
        Assert.Equal("y", Build(Config("y", "")).Model);
    }

    [Fact]
    public void An_explicit_name_overrides_everything()
    {
        string path = Config("z", "meta-llama/Llama-2-7b-hf");
        Assert.Equal("mine", Build(path, "mine").Model);
        Assert.Equal("mine", WorkloadCatalog.NameOf(path, "mine"));
        Assert.Equal("renamed", WorkloadCatalog.Build("gpt2", new WorkloadOptions(Seq: 8, Name: "renamed")).Model);
        Assert.Equal("gpt2", WorkloadCatalog.NameOf("GPT2"));
    }

    [Fact]
    public void A_workload_yaml_is_named_by_its_name_key_else_its_file()
    {
        Directory.CreateDirectory(_root);
        string named = Path.Combine(_root, "a.yaml"), plain = Path.Combine(_root, "block.yaml");
        const string body = "inputs: [{name: x, shape: [4, 8]}]\nops: [{name: y, op: linear, input: x, out_features: 8}]\n";
        File.WriteAllText(named, "name: mlp-block\n" + body);
        File.WriteAllText(plain, body);
        Assert.Equal("mlp-block", WorkloadCatalog.NameOf(named));
        Assert.Equal("mlp-block", Build2(named).Model);
        Assert.Equal("block", WorkloadCatalog.NameOf(plain));
        Assert.Equal("block", Build2(plain).Model);
        static Workload Build2(string p) => WorkloadCatalog.Build(p, new WorkloadOptions());
    }
}
