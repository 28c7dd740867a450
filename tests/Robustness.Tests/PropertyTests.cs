using FsCheck;
using FsCheck.Fluent;
using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Numerics;
using Mantissa.Explorer.Sweep;
using Mantissa.Workloads;

namespace Mantissa.Robustness.Tests;

/// <summary>
/// FsCheck properties: the YAML and JSON loaders turn any text (grammar-built YAML, random mutations of valid files)
/// into a result or a user error (MantissaException), never another exception; codecs round-trip every code.
/// </summary>
public class PropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly string[] Keys =
        ["name", "target", "clock_mhz", "technology", "node_nm", "vdd", "pe", "kind", "weights", "array", "rows", "cols", "dataflow",
         "memory", "capacity_kib", "base", "parameters", "workloads", "objectives", "strategy", "nsga2", "population", "model", "zip", "x"];

    private static readonly string[] Scalars =
        ["1", "0", "-1", "1e300", "1e-300", ".nan", ".inf", "int8", "fp16", "ws", "asic", "~", "null", "\"q\"", "'s'", "abc", "[]", "{}", "99999999999999999999"];

    private static readonly string[] Tokens = ["[", "]", "{", "}", ",", ": ", "- ", "\n", "  ", "&a ", "*a", "&b ", "*b", "? ", "---\n", "#", "!!str ", "|\n", "\t", "\"", "'"];

    /// <summary>YAML-shaped text: keys, scalars, flow and block structure, anchors and aliases, stray tokens.</summary>
    private static Gen<string> YamlText() =>
        Gen.OneOf(Gen.Elements(Keys).Select(k => k + ": "), Gen.Elements(Scalars), Gen.Elements(Tokens), Gen.Elements(Keys))
           .ListOf().Select(parts => string.Concat(parts));

    private static bool OnlyUserErrors(Action load)
    {
        try { load(); return true; }
        catch (MantissaException) { return true; }
    }

    [Fact]
    public void TheArchitectureLoaderReportsOrLoadsAnyYaml() =>
        Prop.ForAll(YamlText().ToArbitrary(), text => OnlyUserErrors(() => ArchitectureLoader.LoadText(text, "t.yaml"))).Check(Runs);

    [Fact]
    public void TheArchitectureLoaderSurvivesMutationsOfAValidFile()
    {
        string valid = File.ReadAllText(Path.Combine(MantissaProcess.RepoRoot, "arch-configs", "tpu-int8.yaml"));
        Prop.ForAll(Mutation(valid).ToArbitrary(), text => OnlyUserErrors(() => ArchitectureLoader.LoadText(text, "t.yaml"))).Check(Runs);
    }

    [Fact]
    public void SetValuesAreValidatedLikeTheFile()
    {
        string arch = Path.Combine(MantissaProcess.RepoRoot, "arch-configs", "tpu-int8.yaml");
        var gen = from k in Gen.Elements("clock_mhz", "array.rows", "pe", "memory.dram.bandwidth_gbps", "technology", "name")
                  from v in YamlText()
                  select (k, v);
        Prop.ForAll(gen.ToArbitrary(), kv => OnlyUserErrors(() => ArchitectureLoader.Load(arch, [new(kv.k, kv.v)]))).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Fact]
    public void TheSweepParserReportsOrParsesAnyYaml()
    {
        string valid = File.ReadAllText(Path.Combine(MantissaProcess.RepoRoot, "arch-configs", "sweeps", "quickstart.yaml"));
        string path = Path.Combine(MantissaProcess.RepoRoot, "arch-configs", "sweeps", "fuzz.yaml");
        Prop.ForAll(Gen.OneOf(YamlText(), Mutation(valid)).ToArbitrary(), text => OnlyUserErrors(() => SweepParser.Parse(text, path))).Check(Runs);
    }

    [Fact]
    public void RecipeAndWorkloadYamlReportOrLoadAnyYaml()
    {
        Prop.ForAll(YamlText().ToArbitrary(), text => OnlyUserErrors(() => RecipeYaml.Parse(text, "r.yaml"))).Check(Runs);
        string dir = Directory.CreateTempSubdirectory("mantissa-fuzz-").FullName;
        try
        {
            int n = 0;
            Prop.ForAll(YamlText().ToArbitrary(), text =>
            {
                string p = Path.Combine(dir, $"w{n++}.yaml");
                File.WriteAllText(p, "name: w\n" + text);
                return OnlyUserErrors(() => WorkloadCatalog.Build(p, new WorkloadOptions()));
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void TheConfigJsonReaderReportsOrLoadsAnyJson()
    {
        const string valid = """
            { "model_type": "llama", "hidden_size": 256, "num_hidden_layers": 2, "num_attention_heads": 8,
              "num_key_value_heads": 2, "intermediate_size": 512, "vocab_size": 1000 }
            """;
        var tokens = Gen.Elements("{", "}", "[", "]", ",", ":", "\"hidden_size\"", "\"num_hidden_layers\"", "\"model_type\"", "\"llama\"",
                                  "1", "-1", "1e30", "2147483648", "0", "null", "true", "\"x\"", "NaN");
        var json = Gen.OneOf(tokens.ListOf().Select(t => string.Concat(t)), Mutation(valid));
        Prop.ForAll(json.ToArbitrary(), text => OnlyUserErrors(() => LlmConfig.Parse(text, "c.json"))).Check(Runs);
    }

    /// <summary>A valid file with one edit: truncation, a deleted, duplicated or replaced span, or an inserted token.</summary>
    private static Gen<string> Mutation(string valid) =>
        from kind in Gen.Choose(0, 3)
        from at in Gen.Choose(0, valid.Length - 1)
        from len in Gen.Choose(1, 40)
        from token in Gen.OneOf(Gen.Elements(Tokens), Gen.Elements(Scalars))
        select kind switch
        {
            0 => valid[..at],
            1 => valid.Remove(at, Math.Min(len, valid.Length - at)),
            2 => valid.Insert(at, valid.Substring(at, Math.Min(len, valid.Length - at))),
            _ => valid.Insert(at, token),
        };

    [Theory]
    [InlineData("fp8e4m3")]
    [InlineData("fp8e5m2")]
    [InlineData("fp16")]
    [InlineData("bf16")]
    [InlineData("fp6e2m3")]
    [InlineData("fp4e2m1")]
    [InlineData("posit8es0")]
    [InlineData("posit16es1")]
    [InlineData("int8")]
    [InlineData("int4")]
    public void EveryFiniteNonZeroCodeRoundTripsThroughItsExactValue(string format)
    {
        var codec = FormatCodec.For((ScalarFormat)NumberFormat.Parse(format));
        var codes = Gen.Choose(0, (int)Math.Min(codec.Mask, int.MaxValue)).Select(c => (ulong)c);
        Prop.ForAll(codes.ToArbitrary(), code =>
        {
            var d = codec.Decode(code);
            if (!d.IsFinite || d.Class == NumberClass.Zero) return true;
            return codec.Encode(d.Value) == code;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }
}
