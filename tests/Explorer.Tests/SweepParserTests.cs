using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

public class SweepParserTests
{
    [Fact]
    public void ParsesAValidSweep()
    {
        using var dir = new TempSweepDir();
        var spec = SweepParser.Load(dir.Sweep(TempSweepDir.Basic + "\n" + """
            zip: [[array.rows, array.cols]]
            strategy: {nsga2: {population: 12, generations: 3, seed: 5}}
            color_by: array.rows
            """));
        Assert.Equal("t", spec.Name);
        Assert.Equal(Path.Combine(dir.Path, "base.yaml"), spec.BaseFile);
        Assert.Equal(new[] { "pe.kind", "array.rows", "array.cols" }, spec.Parameters.Select(p => p.Path));
        Assert.Equal(new[] { "16", "32", "64", "128" }, spec.Parameters[1].Values);
        Assert.True(spec.Parameters[1].Numeric);
        Assert.False(spec.Parameters[0].Numeric);
        Assert.Equal(new[] { "array.rows", "array.cols" }, spec.Zip.Single());
        Assert.Equal(2, spec.Workloads.Count);
        Assert.Equal(new WorkloadSpec("llama-2-7b", "decode", 1, null, 2048, "w4a16g128"), spec.Workloads[1]);
        Assert.Equal(new[] { new Objective("latency_s", Goal.Min), new Objective("energy_pj", Goal.Min), new Objective("area_mm2", Goal.Min) }, spec.Objectives);
        var c = spec.Constraints.Single();
        Assert.Equal((Metric.AreaMm2, CompareOp.Le, 6.0), (c.Metric, c.Op, c.Bound));
        Assert.True(c.Holds(6) && !c.Holds(6.01));
        Assert.Equal(new Nsga2Strategy(12, 3, 5), spec.Strategy);
        Assert.Equal("array.rows", spec.ColorBy);
    }

    [Fact]
    public void RangesListsSubTreesAndWorkloadListsExpand()
    {
        using var dir = new TempSweepDir();
        var spec = SweepParser.Load(dir.Sweep("""
            base: base.yaml
            parameters:
              clock_mhz: {from: 200, to: 300, step: 25}
              vdd: {from: 0.6, to: 0.9, step: 0.1}
              pe:
                - {kind: lut, weights: int4, lut: {group: 4}}
                - {kind: int_mac, weights: 'int8', name: "a b"}
            workloads:
              - {model: llama-2-7b, phase: [prefill, decode], seq: [128, 512], batch: 2}
            objectives: [{latency: min}, {tokens/J: max}]
            strategy: {random: {samples: 7}}
            """, "mine.yaml"));
        Assert.Equal("mine", spec.Name);
        Assert.Equal(new[] { "200", "225", "250", "275", "300" }, spec.Parameters[0].Values);
        Assert.Equal(new[] { "0.6", "0.7", "0.8", "0.9" }, spec.Parameters[1].Values);
        Assert.Equal(new[] { "{kind: lut, weights: int4, lut: {group: 4}}", "{kind: int_mac, weights: int8, name: a b}" }, spec.Parameters[2].Values);
        Assert.Equal(4, spec.Workloads.Count);
        Assert.All(spec.Workloads, w => Assert.Equal(2, w.Batch));
        Assert.Equal(new[] { "latency_s", "tokens_per_j" }, spec.Objectives.Select(o => o.Metric));
        Assert.Equal(Goal.Max, spec.Objectives[1].Goal);
        Assert.Equal(new RandomStrategy(7, 1), spec.Strategy);
        Assert.Equal("pe_kind", spec.ColorBy);
    }

    private const string Ok = "base: base.yaml\nparameters: {array.rows: [16, 32]}\nworkloads: [{model: gemm-1x64x64}]\nobjectives: {latency_s: min, area_mm2: min}\n";

    [Theory]
    [InlineData("base: base.yaml\nparameters: {a: [1]\n", 3, "invalid YAML")]
    [InlineData("- just\n- a list\n", 1, "a sweep file is a mapping")]
    [InlineData("base: base.yaml\nparameters:\n  array.rows: [16\n  array.cols: [8]\nworkloads: [{model: m}]\n", 3, "unterminated flow collection")]
    [InlineData(Ok + "strategi: grid\n", 5, "strategi: unknown key; did you mean 'strategy'?")]
    [InlineData("parameters: {array.rows: [16]}\nworkloads: [{model: m}]\nobjectives: {latency_s: min}\n", 1, "base: missing")]
    [InlineData("base: nowhere.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: m}]\nobjectives: {latency_s: min}\n", 1, "architecture file 'nowhere.yaml' not found")]
    [InlineData("base: base.yaml\nparameters: {array.rows: []}\nworkloads: [{model: m}]\nobjectives: {latency_s: min}\n", 2, "the list of values is empty")]
    [InlineData("base: base.yaml\nparameters: {array.rows: {from: 16, too: 64, step: 16}}\nworkloads: [{model: m}]\nobjectives: {latency_s: min}\n", 2, "unknown range key; did you mean 'to'?")]
    [InlineData("base: base.yaml\nparameters: {array.rows: {from: 16, to: 64}}\nworkloads: [{model: m}]\nobjectives: {latency_s: min}\n", 2, "exactly one of step (arithmetic) or factor")]
    [InlineData("base: base.yaml\nparameters: {array.rows: {from: 64, to: 16, step: 8}}\nworkloads: [{model: m}]\nobjectives: {latency_s: min}\n", 2, "is below 'from'")]
    [InlineData("base: base.yaml\nparameters: {array.rows: {from: 16, to: 64, factor: 1}}\nworkloads: [{model: m}]\nobjectives: {latency_s: min}\n", 2, "factor must be greater than 1")]
    [InlineData("base: base.yaml\nparameters: {array.rows: {from: 16, to: 64, step: x}}\nworkloads: [{model: m}]\nobjectives: {latency_s: min}\n", 2, "expected a number, got 'x'")]
    [InlineData("base: base.yaml\nparameters: {array..rows: [1]}\nworkloads: [{model: m}]\nobjectives: {latency_s: min}\n", 2, "expected a dotted architecture key")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16, 16]}\nworkloads: [{model: m}]\nobjectives: {latency_s: min}\n", 2, "lists the same value more than once")]
    [InlineData(Ok + "zip: [[array.rows, array.colz]]\n", 5, "'array.colz' is not a parameter of this sweep")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16, 32, 16], array.cols: [8, 8, 8]}\nzip: [[array.rows, array.cols]]\nworkloads: [{model: m}]\nobjectives: {latency_s: min}\n", 2, "the zip group [array.rows, array.cols] repeats a combination of values")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16, 32], array.cols: [8]}\nzip: [[array.rows, array.cols]]\nworkloads: [{model: m}]\nobjectives: {latency_s: min}\n", 3, "zipped parameters need equal counts")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: []\nobjectives: {latency_s: min}\n", 3, "expected a non-empty list of workloads")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{phase: decode}]\nobjectives: {latency_s: min}\n", 3, "missing 'model'")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: m, phase: decod}]\nobjectives: {latency_s: min}\n", 3, "expected prefill, decode or train, got 'decod'; did you mean 'decode'?")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: gemm-8x8x8, precision: w9a9}]\nobjectives: {latency_s: min}\n", 3, "workloads[0].precision: does not apply to a gemm-MxKxN workload")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: m, batch: 0}]\nobjectives: {latency_s: min}\n", 3, "expected an integer ≥ 1, got '0'")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: m, seqlen: 4}]\nobjectives: {latency_s: min}\n", 3, "workloads[0].seqlen: unknown key")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: m}]\nobjectives: {latncy_s: min}\n", 4, "unknown metric 'latncy_s'; did you mean 'latency_s'?")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: m}]\nobjectives: {latency_s: minimise}\n", 4, "expected min or max, got 'minimise'")]
    [InlineData(Ok + "constraints: ['area_mm2 =< 10']\n", 5, "expected 'metric OP number'")]
    [InlineData(Ok + "constraints: ['aera_mm2 <= 10']\n", 5, "unknown metric 'aera_mm2'; did you mean 'area_mm2'?")]
    [InlineData(Ok + "strategy: annealing\n", 5, "unknown strategy 'annealing'")]
    [InlineData(Ok + "strategy: {random: {seed: 3}}\n", 5, "missing 'samples'")]
    [InlineData(Ok + "strategy: {nsga2: {population: 7}}\n", 5, "expected an even number ≥ 4, got 7")]
    [InlineData(Ok + "strategy: {nsga2: {populaton: 8}}\n", 5, "unknown key; did you mean 'population'?")]
    [InlineData(Ok + "color_by: pe_knd\n", 5, "'pe_knd' is neither a swept parameter nor a result label; did you mean 'pe_kind'?")]
    [InlineData(Ok + "name: 'has space'\n", 5, "expected a name made of letters")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: gemm-8x8x8, causal: true}]\nobjectives: {latency_s: min}\n", 3, "workloads[0].causal: does not apply to a gemm-MxKxN workload")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads:\n  - {model: m, phase: [prefill, decode],\n     causal: [false, true]}\nobjectives: {latency_s: min}\n", 5, "workloads[0].causal: does not apply to decode")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: m, causal: yes}]\nobjectives: {latency_s: min}\n", 3, "workloads[0].causal: expected true or false, got 'yes'")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: m, fusion: off}]\nobjectives: {latency_s: min}\n", 3, "workloads[0].fusion: expected true or false, got 'off'")]
    [InlineData("base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: gemm-8x8x8, fusion: false}]\nobjectives: {latency_s: min}\n", 3, "workloads[0].fusion: does not apply to a gemm-MxKxN workload")]
    public void ReportsBadSweepsWithLineAndMessage(string yaml, int line, string message)
    {
        using var dir = new TempSweepDir();
        string path = dir.Sweep(yaml);
        var e = Assert.Throws<SweepFileException>(() => SweepParser.Load(path));
        var d = Assert.Single(e.Diagnostics, x => x.ToString().Contains(message));
        Assert.Equal(line, d.Line);
        Assert.Equal(path, d.File);
        Assert.StartsWith($"{path}:{line}:", d.ToString());
    }

    [Fact]
    public void CausalListsExpandAndAppearInTheLabelOnlyWhenTrue()
    {
        using var dir = new TempSweepDir();
        var spec = SweepParser.Load(dir.Sweep("""
            base: base.yaml
            parameters: {array.rows: [16]}
            workloads:
              - {model: gpt2, seq: 128, causal: [false, true]}
              - {model: gpt2, phase: decode, kv: 256}
            objectives: {latency_s: min}
            """));
        Assert.Equal(new[] { false, true, false }, spec.Workloads.Select(w => w.Causal));
        Assert.Equal(new[] { "gpt2/prefill/b1/s128/fp16", "gpt2/prefill/b1/s128/fp16/causal", "gpt2/decode/b1/kv256/fp16" },
            spec.Workloads.Select(w => w.Label));
        Assert.True(ModelChecks.Options(spec.Workloads[1]).Causal);
        Assert.False(ModelChecks.Options(spec.Workloads[0]).Causal);
    }

    [Fact]
    public void FusionListsExpandAndAppearInTheLabelOnlyWhenOff()
    {
        using var dir = new TempSweepDir();
        var spec = SweepParser.Load(dir.Sweep("""
            base: base.yaml
            parameters: {array.rows: [16]}
            workloads: [{model: resnet18, fusion: [true, false]}]
            objectives: {latency_s: min}
            """));
        Assert.Equal(new[] { true, false }, spec.Workloads.Select(w => w.Fusion));
        Assert.Equal(new[] { "resnet18/prefill/b1/fp16", "resnet18/prefill/b1/fp16/no-fusion" }, spec.Workloads.Select(w => w.Label));
    }

    [Fact]
    public void ReportsEveryProblemAtOnce()
    {
        using var dir = new TempSweepDir();
        var e = Assert.Throws<SweepFileException>(() => SweepParser.Load(dir.Sweep("""
            base: base.yaml
            parameters: {array.rows: []}
            workloads: [{model: m, phase: x}]
            objectives: {speed: max}
            strategy: {random: {samples: -1}}
            """)));
        Assert.Equal(new long[] { 2, 3, 4, 5 }, e.Diagnostics.Select(d => d.Line));
        Assert.StartsWith("4 problems in sweep file:", e.Message);
    }

    [Fact]
    public void AskTheBackendAboutParameterPathsAndModels()
    {
        using var dir = new TempSweepDir();
        var validation = new SweepValidation(
            CheckParameter: (_, sets) => sets[0].Key == "array.rowz" ? "unknown key 'rowz' in array; did you mean 'rows'?" : null,
            CheckWorkload: w => w.Model == "llama-2-8b" ? "unknown model 'llama-2-8b'; did you mean 'llama-2-7b'?" : null);
        var e = Assert.Throws<SweepFileException>(() => SweepParser.Load(dir.Sweep("""
            base: base.yaml
            parameters:
              array.rowz: [16, 32]
            workloads: [{model: llama-2-8b}]
            objectives: {latency_s: min}
            """), validation));
        Assert.Contains(e.Diagnostics, d => d.Line == 4 && d.Key == "workloads[0]" && d.Message.Contains("did you mean 'llama-2-7b'"));
        Assert.DoesNotContain(e.Diagnostics, d => d.Key == "parameters.array.rowz"); // base checks run once the file is otherwise valid
        var e2 = Assert.Throws<SweepFileException>(() => SweepParser.Load(dir.Sweep("""
            base: base.yaml
            parameters:
              array.rowz: [16, 32]
            workloads: [{model: llama-2-7b}]
            objectives: {latency_s: min}
            """), validation));
        var d = Assert.Single(e2.Diagnostics);
        Assert.Equal((3L, "parameters.array.rowz"), (d.Line, d.Key));
        Assert.Contains("did you mean 'rows'", d.Message);
    }
    [Fact]
    public void A_config_json_workload_is_keyed_by_its_model_name_not_its_path()
    {
        using var dir = new TempSweepDir();
        string Config(string sub, string extra)
        {
            Directory.CreateDirectory(dir.Sub(sub));
            string p = System.IO.Path.Combine(dir.Sub(sub), "config.json");
            File.WriteAllText(p, "{\"model_type\": \"llama\", \"hidden_size\": 64, \"num_hidden_layers\": 1, \"num_attention_heads\": 4, " +
                                 "\"intermediate_size\": 128, \"vocab_size\": 100" + extra + "}");
            return p;
        }
        string a = Config("qwen25-7b", ""), b = Config("other/qwen25-7b", "");
        string Sweep(string workloads) => dir.Sweep($"base: base.yaml\nparameters: {{array.rows: [16]}}\nworkloads:\n{workloads}objectives: {{latency_s: min}}\n");
        var spec = SweepParser.Load(Sweep($"  - {{model: '{a}', phase: decode, kv: 64}}\n"), ModelChecks.Validation);
        Assert.Equal("qwen25-7b/decode/b1/kv64/fp16", spec.Workloads.Single().Label);
        // Two configs with one name collide; a 'name' tells them apart.
        var e = Assert.Throws<SweepFileException>(() => SweepParser.Load(Sweep($"  - {{model: ['{a}', '{b}'], phase: decode, kv: 64}}\n"), ModelChecks.Validation));
        Assert.Contains("workload qwen25-7b/decode/b1/kv64/fp16 is listed twice", e.Message);
        Assert.Contains("give one a 'name'", e.Message);
        spec = SweepParser.Load(Sweep($"  - {{model: '{a}', phase: decode, kv: 64}}\n  - {{model: '{b}', name: q2, phase: decode, kv: 64}}\n"), ModelChecks.Validation);
        Assert.Equal(new[] { "qwen25-7b/decode/b1/kv64/fp16", "q2/decode/b1/kv64/fp16" }, spec.Workloads.Select(w => w.Label));
        e = Assert.Throws<SweepFileException>(() => SweepParser.Load(Sweep($"  - {{model: ['{a}', '{b}'], name: q}}\n"), ModelChecks.Validation));
        Assert.Contains("workloads[0].name: names one model, but this entry lists several", e.Message);
    }
}
