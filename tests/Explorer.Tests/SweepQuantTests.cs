using Mantissa.Explorer.Pareto;
using Mantissa.Explorer.Sweep;
using Mantissa.Workloads.Quantization;

namespace Mantissa.Explorer.Tests;

public class SweepQuantTests
{
    private const string Pes = """
        parameters:
          pe:
            - {kind: int_mac, weights: int8, activations: int8, accumulator: int32, dot_width: 1}
            - {kind: bit_serial, weights: int4, activations: fp16, accumulator: fp32, dot_width: 4, bits_per_cycle: 2, serial_operand: weights, group_size: 128}
            - {kind: mx_dot, weights: nvfp4, activations: nvfp4, accumulator: fp32, dot_width: 8}
            - {kind: mx_dot, weights: mxfp4, activations: mxfp4, accumulator: fp32, dot_width: 8}
          array.rows: [16, 32]
        """;

    private static (SweepSpec Spec, SweepRunResult Result) Run(TempSweepDir dir, string body, QuantErrorCache cache, int jobs = 2)
    {
        File.Copy(Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "sweeps", "edge-npu.yaml"), dir.Sub("edge.yaml"), overwrite: true);
        var spec = SweepParser.Load(dir.Sweep("base: edge.yaml\n" + Pes + "\n" + body), ModelChecks.Validation);
        return (spec, new SweepRunner(spec, new SimulatorEvaluator(spec, cache), new SweepRunOptions(dir.Sub("out"), jobs)).Run());
    }

    [Fact]
    public void EveryRowCarriesTheErrorOfTheWeightFormatItsDesignRunsComputedOncePerKey()
    {
        using var dir = new TempSweepDir();
        var cache = new QuantErrorCache();
        var (_, result) = Run(dir, """
            workloads:
              - {model: gemm-64x256x512}
              - {model: llama-2-7b, phase: decode, kv: 512, precision: w4a16g128}
            quant: {source: gaussian, seed: 3, count: 65536}
            objectives: {energy_pj: min, quant_sqnr_db: max}
            """, cache);
        var t = result.Table;
        Assert.Equal(16, result.Rows);
        // w4a16g128 has fp16 activations: the int8 MAC and the MX PEs cannot run the Llama step (invalid, with the reason)
        Assert.Equal(10, result.Valid);
        var invalid = t.Rows.Where(r => r[t.Column("status")] != "valid").ToList();
        Assert.All(invalid, r => Assert.StartsWith("llama", r[t.Column("workload")]));
        Assert.All(invalid, r => Assert.Contains("cannot run", r[t.Column("reason")]));
        Assert.Equal(new[] { "int8×int8", "mxfp4×mxfp4", "nvfp4×nvfp4" }, invalid.Select(r => r[t.Column("pe_formats")]).Distinct().Order());
        // A GEMM runs at the PE's own weight format (bit_serial with its group size); the Llama step at its recipe's
        // int4 group-128 weights, except on mx_dot, which only takes blocks and runs its own block format.
        var reference = new QuantErrorCache();
        QuantKey K(string format, int group = 0, string? recipe = null) => new(format, "gaussian", group, recipe, Seed: 3, Count: 65536);
        var expected = new Dictionary<(string, string), (QuantKey Key, string Label)>
        {
            [("int8×int8", "gemm")] = (K("int8"), "int8 (channel)"),
            [("int4×fp16", "gemm")] = (K("int4", 128), "int4 (group 128)"),
            [("nvfp4×nvfp4", "gemm")] = (K("nvfp4"), "nvfp4 (block 16)"),
            [("mxfp4×mxfp4", "gemm")] = (K("mxfp4"), "mxfp4 (block 32)"),
            [("int8×int8", "llama")] = (K("int4", recipe: "w4a16g128"), "w4a16g128 (group 128)"),
            [("int4×fp16", "llama")] = (K("int4", recipe: "w4a16g128"), "w4a16g128 (group 128)"),
            [("nvfp4×nvfp4", "llama")] = (K("nvfp4"), "nvfp4 (block 16)"),
            [("mxfp4×mxfp4", "llama")] = (K("mxfp4"), "mxfp4 (block 32)"),
        };
        foreach (var row in t.Rows.Where(r => r[t.Column("status")] == "valid"))
        {
            var (key, label) = expected[(row[t.Column("pe_formats")], row[t.Column("workload")].Split('-')[0])];
            var e = reference.Get(key);
            Assert.Equal(e.SqnrDb, ResultTable.Number(row[t.Column("quant_sqnr_db")]));
            Assert.Equal(e.Mse, ResultTable.Number(row[t.Column("quant_mse")]));
            Assert.Equal(label, row[t.Column("quant_weights")]);
        }
        // Formats differ: NVFP4's E4M3 scales over 16 values beat MXFP4's power-of-two scales over 32; int8 beats both.
        double Sqnr(string f) => reference.Get(K(f)).SqnrDb;
        Assert.True(Sqnr("int8") > Sqnr("nvfp4") && Sqnr("nvfp4") > Sqnr("mxfp4"));
        // 16 rows, 5 distinct (format, group, recipe) keys on one tensor: each computed once.
        Assert.Equal(5, cache.Computations);
        Assert.EndsWith("quant_sqnr_db,quant_mse,frames_per_s,format_fallbacks,ttft_s,tpot_s,max_batch", File.ReadAllText(dir.Sub("out/points.csv")).Split("\n")[0].TrimEnd());
    }

    [Fact]
    public void TheFrontOfAQuantObjectiveIsTheSetOfUndominatedDesigns()
    {
        using var dir = new TempSweepDir();
        var (spec, result) = Run(dir, """
            workloads: [{model: gemm-64x256x512}]
            quant: {source: student-t, count: 65536}
            objectives: {quant_sqnr_db: max, energy_pj: min}
            constraints: ['quant_sqnr_db >= 10']
            """, new QuantErrorCache(), jobs: 1);
        var t = result.Table;
        var front = Assert.Single(ParetoAnalysis.Fronts(t, spec.Objectives));
        var valid = t.Rows.Where(t.IsValid).ToList();
        Assert.Equal(8, valid.Count);
        double S(string[] r) => ResultTable.Number(r[t.Column("quant_sqnr_db")]);
        double A(string[] r) => ResultTable.Number(r[t.Column("energy_pj")]);
        bool Dominated(string[] r) => valid.Any(o => S(o) >= S(r) && A(o) <= A(r) && (S(o) > S(r) || A(o) < A(r)));
        var expected = valid.Where(r => !Dominated(r)).Select(r => r[0]).OrderBy(x => x).ToList();
        Assert.Equal(expected, front.Members.Select(m => m.Row[0]).OrderBy(x => x).ToList());
        // The most accurate design (int8 weights) and the most frugal (a 4-bit block PE) are both on it.
        Assert.Contains(front.Members, m => m.Row[t.Column("pe_formats")] == "int8×int8");
        Assert.Contains(front.Members, m => A(m.Row) == valid.Min(A));
        Assert.Contains(front.Members, m => m.Row[t.Column("pe_kind")] == "mx_dot");
    }

    [Fact]
    public void ABadQuantBlockIsReportedAtItsLineAndKey()
    {
        using var dir = new TempSweepDir();
        string head = "base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: gemm-8x8x8}]\nobjectives: {quant_sqnr_db: max}\n";
        var e = Assert.Throws<SweepFileException>(() => SweepParser.Load(dir.Sweep(head + "quant: {source: student-t, count: -5, cout: 3}\n")));
        Assert.Equal(new[] { ("quant.count", 5L), ("quant.cout", 5L) }, e.Diagnostics.Select(d => (d.Key, d.Line)).OrderBy(x => x.Key));
        Assert.Contains("did you mean 'count'", e.Diagnostics.Single(d => d.Key == "quant.cout").Message);

        e = Assert.Throws<SweepFileException>(() => SweepParser.Load(dir.Sweep(head + "quant:\n  seed: 2\n  source: weights/missing.safetensors:w\n")));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal((7L, 11L, "quant.source"), (d.Line, d.Column, d.Key));
        Assert.Contains("missing.safetensors", d.Message);
        Assert.Contains("relative to the sweep file", d.Message);

        e = Assert.Throws<SweepFileException>(() => SweepParser.Load(dir.Sweep(head + "quant: student-t\n")));
        Assert.Equal(("quant", 5L), (e.Diagnostics.Single().Key, e.Diagnostics.Single().Line));
    }

    [Fact]
    public void TheDefaultTensorIsStudentTAndTheBlockIsKept()
    {
        using var dir = new TempSweepDir();
        string head = "base: base.yaml\nparameters: {array.rows: [16]}\nworkloads: [{model: gemm-8x8x8}]\nobjectives: {quant_sqnr_db: max}\n";
        Assert.Equal(new QuantSpec("student-t", 1, 0), SweepParser.Load(dir.Sweep(head)).QuantTensor);
        Assert.Equal(new QuantSpec("laplace", 7, 4096), SweepParser.Load(dir.Sweep(head + "quant: {source: Laplace, seed: 7, count: 4_096}\n")).QuantTensor);
    }
    [Fact]
    public void ACheckpointTensorRelativeToTheSweepFileIsMeasured()
    {
        using var dir = new TempSweepDir();
        Directory.CreateDirectory(dir.Sub("ckpt"));
        // A 4x64 float32 tensor "w" (a ramp with one outlier) and a decoy "b", in the safetensors layout.
        var w = Enumerable.Range(0, 256).Select(i => (float)Math.Sin(i * 0.37) * (i == 77 ? 40f : 1f)).ToArray();
        string header = """{"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[4,64],"data_offsets":[8,1032]}}""";
        using (var f = new BinaryWriter(File.Create(dir.Sub("ckpt/m.safetensors"))))
        {
            f.Write((ulong)header.Length);
            f.Write(System.Text.Encoding.ASCII.GetBytes(header));
            f.Write(1f); f.Write(2f);
            foreach (var x in w) f.Write(x);
        }
        var (_, result) = Run(dir, """
            workloads: [{model: gemm-64x256x512}]
            quant: {source: ckpt/m.safetensors:w}
            objectives: {quant_mse: min}
            """, new QuantErrorCache(), jobs: 1);
        var t = result.Table;
        var row = t.Rows.First(r => r[t.Column("pe_formats")] == "nvfp4×nvfp4");
        var e = new QuantErrorCache().Get(new QuantKey("nvfp4", dir.Sub("ckpt/m.safetensors") + ":w"));
        Assert.Equal(e.Mse, ResultTable.Number(row[t.Column("quant_mse")]));
        Assert.True(e.Mse > 0);
    }
}
