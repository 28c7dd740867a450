using Mantissa.Arch;

namespace Mantissa.Workloads.Tests;

/// <summary>Issue 14 item 2: a config.json with absurd sizes is refused before anything is built or allocated.</summary>
public class ConfigSizeLimitTests
{
    private static string Config(string layers, string hidden = "256") =>
        $"{{ \"model_type\": \"llama\", \"hidden_size\": {hidden}, \"num_hidden_layers\": {layers}, \"num_attention_heads\": 8, " +
        "\"num_key_value_heads\": 2, \"intermediate_size\": 512, \"vocab_size\": 1000 }";

    [Fact]
    public void ABillionLayersIsRefusedNamingTheKey()
    {
        var e = Assert.Throws<MantissaException>(() => LlmConfig.Parse(Config("1000000000"), "my/config.json"));
        Assert.Equal("my/config.json: invalid model config:\n  key 'num_hidden_layers': 1,000,000,000 is above the 10,000 this simulator accepts", e.Message);
    }

    [Fact]
    public void AHugeHiddenSizeIsRefused()
    {
        var e = Assert.Throws<MantissaException>(() => LlmConfig.Parse(Config("2", "2097152"), "c.json"));
        Assert.Contains("key 'hidden_size': 2,097,152 is above the 1,048,576 this simulator accepts", e.Message);
    }

    [Fact]
    public void TheLargestPublishedShapesStillLoad()
    {
        // Llama-3.1-405B: 126 layers, hidden 16384, 128 heads (8 KV), FFN 53248, vocab 128256.
        var c = LlmConfig.Parse("""
            { "model_type": "llama", "hidden_size": 16384, "num_hidden_layers": 126, "num_attention_heads": 128,
              "num_key_value_heads": 8, "intermediate_size": 53248, "vocab_size": 128256, "max_position_embeddings": 131072 }
            """, "405b.json");
        Assert.Equal(126, c.Layers);
    }

    [Fact]
    public void AKeyGivenTwiceIsRefused()
    {
        var e = Assert.Throws<MantissaException>(() => LlmConfig.Parse(Config("2").Replace("}", ", \"num_hidden_layers\": 3 }"), "c.json"));
        Assert.Equal("c.json: key 'num_hidden_layers' is given twice", e.Message);
    }
}
