using System.Buffers.Binary;
using System.Text;

namespace Mantissa.Robustness.Tests;

/// <summary>One malformed (or boundary) input: the file kind it exercises, a name, the command line, stdin, and the expected outcome.</summary>
public sealed record Case(string Kind, string Name, string[] Args, string? Stdin, Outcome Expected)
{
    public override string ToString() => $"[{Kind}] {Name}: mantissa {string.Join(' ', Args.Select(a => a.Length > 60 ? a[..60] + "…" : a))}";
}

/// <summary>
/// Generates the robustness corpus into a scratch folder: bad values for every architecture key, broken architecture,
/// sweep and workload YAML, config.json, safetensors, npy and ONNX files, bad CLI options and bad --batch lines.
/// </summary>
internal sealed class Corpus
{
    private readonly string _dir;
    private readonly List<Case> _cases = new();
    private int _n;

    private Corpus(string dir) => _dir = dir;

    private static string Repo => MantissaProcess.RepoRoot;
    private static string Arch => Path.Combine(Repo, "arch-configs", "tpu-int8.yaml");
    private static string SweepFile => Path.Combine(Repo, "arch-configs", "sweeps", "quickstart.yaml");

    public static IReadOnlyList<Case> Build(string dir)
    {
        var c = new Corpus(dir);
        c.ArchSets();
        c.ArchFiles();
        c.SweepFiles();
        c.WorkloadYaml();
        c.ConfigJson();
        c.ExperimentYaml();
        c.Safetensors();
        c.Npy();
        c.Onnx();
        c.CliOptions();
        c.BatchLines();
        return c._cases;
    }

    private void Add(string kind, string name, string[] args, Outcome expected = Outcome.CleanError, string? stdin = null) =>
        _cases.Add(new Case(kind, name, args, stdin, expected));

    private string Write(string ext, string text) => Write(ext, Encoding.UTF8.GetBytes(text));

    private string Write(string ext, byte[] bytes)
    {
        string p = Path.Combine(_dir, $"case{_n++:D4}{ext}");
        File.WriteAllBytes(p, bytes);
        return p;
    }

    private static string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, n));

    private static string AliasBomb(string prefix = "")
    {
        var sb = new StringBuilder(prefix).Append("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) sb.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        return sb.ToString();
    }

    /// <summary>Bad values for every architecture key, through --set (the same validation as the file).</summary>
    private void ArchSets()
    {
        string[] keys =
        {
            "clock_mhz", "technology.node_nm", "technology.vdd", "array.rows", "array.cols", "array.vector_lanes", "array.dataflow",
            "array.weight_preload", "pe.kind", "pe.weights", "pe.activations", "pe.accumulator", "pe.dot_width", "pe.pipeline_depth",
            "memory.dram.bandwidth_gbps", "memory.unified_buffer.capacity_mib", "memory.unified_buffer.width_bits",
            "memory.unified_buffer.banks", "target",
        };
        string[] values = { "-1", "0", "1e-300", "1e300", ".nan", "[1, 2]", "99999999999999999999999" };
        foreach (var k in keys)
            foreach (var v in values)
                Add("arch --set", $"{k}={v}", ["cost", Arch, "--set", $"{k}={v}"]);
        Add("arch --set", "rows×cols overflow", ["cost", Arch, "--set", "array.rows=46341", "--set", "array.cols=46341"]);
        Add("arch --set", "rows×cols at the 65536 maximum", ["simulate", Arch, "--gemm", "64,64,64", "--set", "array.rows=65536", "--set", "array.cols=65536"]);
        Add("arch --set", "50,000 nested [", ["cost", Arch, "--set", "name=" + new string('[', 50_000)]);
        Add("arch --set", "alias bomb in a value", ["cost", Arch, "--set", "pe={" + AliasBomb().Replace("\n", ", ").TrimEnd(',', ' ') + "}"]);
        Add("arch --set", "unknown path", ["cost", Arch, "--set", "array.rowz=4"]);
        Add("arch --set", "no '='", ["cost", Arch, "--set", "array.rows"]);
        Add("arch --set", "boundary: 4096×4096 PEs", ["cost", Arch, "--set", "array.rows=4096", "--set", "array.cols=4096"], Outcome.Success);
    }

    private void ArchFiles()
    {
        string valid = File.ReadAllText(Arch);
        int cut = 0;
        foreach (var frac in new[] { 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75 })
            Add("arch file", $"truncated at {frac:P0}", ["cost", Write(".yaml", valid[..(int)(valid.Length * frac)])]);
        var bad = new (string Name, string Text)[]
        {
            ("empty", ""), ("only ---", "---\n"), ("two documents", valid + "---\n" + valid), ("top-level list", "- a\n- b\n"),
            ("top-level scalar", "just text\n"), ("tabs for indentation", valid.Replace("  ", "\t")), ("duplicate key", valid + "clock_mhz: 5\n"),
            ("alias bomb", AliasBomb(valid)), ("100,000 nested [", "name: " + new string('[', 100_000)),
            ("20,000 nested {a:", Repeat("{a: ", 20_000)), ("100,000 nested - lists", string.Concat(Enumerable.Range(0, 3000).Select(i => new string(' ', i) + "-\n"))),
            ("unclosed quote", "name: \"abc\n"), ("unclosed flow", "name: [abc\n"), ("complex key", "? [a, b]\n: 1\n"),
            ("base: /dev/zero", "base: /dev/zero\n"), ("base: /dev/urandom", "base: /dev/urandom\n"), ("base: /etc/passwd", "base: /etc/passwd\n"),
            ("base: /etc/shadow", "base: /etc/shadow\n"), ("base: a folder", "base: /tmp\n"), ("base: missing", "base: nowhere.yaml\n"),
            ("base: a list", "base: [a, b]\n"), ("2 MiB of comments", "name: x\n" + new string('#', 2 << 20)),
            ("anchors of anchors within budget", "x: &x [1, 2]\ny: *x\n" + valid),
            ("BOM then garbage", "\uFEFF%%%%\n"), ("binary tag", "name: !!binary AAAA\n"), ("unknown tag", "name: !foo bar\n"),
        };
        foreach (var (name, text) in bad) Add("arch file", name, ["cost", Write(".yaml", text)]);
        Add("arch file", "NUL bytes", ["cost", Write(".yaml", [0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x00, 0x00, 0x0a])]);
        Add("arch file", "invalid UTF-8", ["cost", Write(".yaml", [0x6e, 0x3a, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a])]);
        Add("arch file", "random bytes", ["cost", Write(".yaml", RandomBytes(4096, 1))]);
        Add("arch file", "a folder", ["cost", _dir]);
        Add("arch file", "/dev/zero", ["cost", "/dev/zero"]);
        Add("arch file", "/dev/urandom as simulate arch", ["simulate", "/dev/urandom", "--gemm", "8,8,8"]);
        Add("arch file", "missing", ["cost", Path.Combine(_dir, "nope.yaml")]);
        Add("arch file", "self-inheritance", ["cost", SelfBase()]);
        cut++;
    }

    private string SelfBase()
    {
        string p = Path.Combine(_dir, $"case{_n++:D4}-self.yaml");
        File.WriteAllText(p, $"base: {Path.GetFileName(p)}\nname: x\n");
        return p;
    }

    private void SweepFiles()
    {
        string valid = File.ReadAllText(SweepFile).Replace("base: edge-npu.yaml", $"base: {Path.Combine(Repo, "arch-configs", "sweeps", "edge-npu.yaml")}");
        string Out() => Path.Combine(_dir, $"out{_n++:D4}");
        foreach (var frac in new[] { 0.1, 0.3, 0.5, 0.7, 0.8 })
            Add("sweep file", $"truncated at {frac:P0}", ["sweep", Write(".yaml", valid[..(int)(valid.Length * frac)]), "--out", Out(), "--no-report"]);
        var bad = new (string Name, string Text)[]
        {
            ("empty", ""), ("alias bomb", AliasBomb(valid)), ("100,000 nested [", "name: " + new string('[', 100_000)),
            ("base: /dev/zero", valid.Replace(valid.Split('\n').First(l => l.StartsWith("base:")), "base: /dev/zero")),
            ("base: /etc/passwd", valid.Replace(valid.Split('\n').First(l => l.StartsWith("base:")), "base: /etc/passwd")),
            ("nsga2 population 1e9", valid + "strategy: {nsga2: {population: 1000000000}}\n"),
            ("nsga2 population 2^31", valid + "strategy: {nsga2: {population: 2147483648}}\n"),
            ("nsga2 generations huge", valid + "strategy: {nsga2: {population: 40, generations: 2000000000}}\n"),
            ("random samples 1e9", valid + "strategy: {random: {samples: 1000000000}}\n"),
            ("unknown strategy", valid + "strategy: annealing\n"), ("unknown top key", valid + "paramters: {}\n"),
            ("bad objective", valid.Replace("latency_s: min", "latency_s: fastest")), ("unknown metric", valid.Replace("latency_s: min", "latncy_s: min")),
            ("bad constraint", valid + "constraints: ['area_mm2 <=']\n"), ("range of 10^18 values", valid.Replace("array.rows: [16, 32, 64]", "array.rows: {from: 1, to: 1000000000000000000, step: 1}")),
            ("grid of 10^30 points", valid.Replace("array.rows: [16, 32, 64]", "array.rows: {from: 1, to: 65536, step: 1}").Replace("array.cols: [16, 32, 64]", "array.cols: {from: 1, to: 65536, step: 1}\n  clock_mhz: {from: 1, to: 10000, step: 1}")),
            ("bad parameter key", valid.Replace("array.rows:", "array.rowz:")), ("workload of unknown model", valid.Replace("model: llama-2-7b", "model: llama-9")),
            ("workload negative kv", valid.Replace("kv: 2048", "kv: -5")), ("zip of unknown key", valid.Replace("[array.rows, array.cols]", "[array.rows, nope]")),
            ("/etc/passwd as text", File.Exists("/etc/passwd") ? File.ReadAllText("/etc/passwd") : "root:x:0:0::/root:/bin/sh\n"),
            ("top-level list", "- a\n"), ("name with a slash", valid.Replace("name: quickstart", "name: ../../etc")),
        };
        foreach (var (name, text) in bad) Add("sweep file", name, ["sweep", Write(".yaml", text), "--out", Out(), "--no-report"]);
        Add("sweep file", "binary junk", ["sweep", Write(".yaml", RandomBytes(2048, 2)), "--out", Out()]);
        Add("sweep file", "/dev/zero", ["sweep", "/dev/zero", "--out", Out()]);
        Add("sweep file", "--out is an existing file", ["sweep", SweepFile, "--out", Write(".txt", "x"), "--no-report"]);
        Add("sweep file", "--out under /dev/null", ["sweep", SweepFile, "--out", "/dev/null/x", "--no-report"]);
        Add("sweep file", "--shard 5/3", ["sweep", SweepFile, "--shard", "5/3", "--out", Out()]);
        Add("merge", "a folder that is not a results folder", ["merge", _dir, "--out", Out()]);
        Add("merge", "--out is a file", ["merge", _dir, "--out", Write(".txt", "x")]);
        Add("pareto", "--out in a missing folder", ["pareto", Write(".csv", "point,key\n0,a\n"), "--x", "latency_s", "--y", "energy_pj", "--out", "/nonexistent/d/x.svg"]);
        Add("pareto", "a CSV that is not a results file", ["pareto", Write(".csv", "=1+1,@x\n-2+3,+4\n"), "--x", "a", "--y", "b"]);
        Add("pareto", "binary CSV", ["pareto", Write(".csv", RandomBytes(1024, 3)), "--x", "a", "--y", "b"]);
    }

    private void WorkloadYaml()
    {
        var bad = new (string Name, string Text)[]
        {
            ("empty", ""), ("alias bomb", AliasBomb()), ("100,000 nested [", "name: " + new string('[', 100_000)), ("top-level list", "- a\n"),
            ("unknown key", "name: w\nphase: prefill\nopz: []\n"), ("ops not a list", "name: w\nphase: prefill\ntokens: 1\ninputs: []\nops: 5\n"),
            ("negative tokens", "name: w\nphase: prefill\ntokens: -4\ninputs: []\nops: []\n"),
            ("huge shape", "name: w\nphase: prefill\ntokens: 1\ninputs: [{name: x, shape: [99999999999, 99999999999, 99999999999], role: input}]\nops: []\n"),
            ("tabs", "name: w\n\tphase: prefill\n"),
        };
        foreach (var (name, text) in bad) Add("workload YAML", name, ["workload", "show", Write(".yaml", text)]);
        Add("workload YAML", "binary junk", ["workload", "show", Write(".yaml", RandomBytes(1024, 4))]);
        Add("workload YAML", "simulate on a broken workload", ["simulate", Arch, Write(".yaml", "name: w\nops: [{\n")]);
    }

    /// <summary>Experiment files of <c>mantissa reproduce</c> (a path to an experiment.yaml).</summary>
    private void ExperimentYaml()
    {
        var bad = new (string Name, string Text)[]
        {
            ("empty", ""), ("alias bomb", AliasBomb()), ("100,000 nested [", "name: " + new string('[', 100_000)), ("unclosed flow", "name: [x\n"),
            ("top-level list", "- a\n"), ("unknown key", "nmae: x\n"),
        };
        foreach (var (name, text) in bad) Add("experiment YAML", name, ["reproduce", Write(".yaml", text)]);
        Add("experiment YAML", "binary junk", ["reproduce", Write(".yaml", RandomBytes(1024, 10))]);
        Add("experiment YAML", "/dev/zero", ["reproduce", "/dev/zero"]);
    }

    private void ConfigJson()
    {
        const string good = "\"model_type\": \"llama\", \"hidden_size\": 256, \"num_attention_heads\": 8, \"num_key_value_heads\": 2, \"intermediate_size\": 512, \"vocab_size\": 1000";
        var bad = new (string Name, string Text)[]
        {
            ("empty", ""), ("only {", "{"), ("an array", "[]"), ("junk", "not json at all"),
            ("10,000 nested arrays", new string('[', 10_000) + new string(']', 10_000)),
            ("a billion layers", "{" + good + ", \"num_hidden_layers\": 1000000000}"),
            ("negative layers", "{" + good + ", \"num_hidden_layers\": -1}"),
            ("layers as a string", "{" + good + ", \"num_hidden_layers\": \"two\"}"),
            ("layers 1e30", "{" + good + ", \"num_hidden_layers\": 1e30}"),
            ("fractional layers", "{" + good + ", \"num_hidden_layers\": 2.5}"),
            ("NaN literal", "{" + good + ", \"num_hidden_layers\": NaN}"),
            ("hidden 0", "{" + good.Replace("\"hidden_size\": 256", "\"hidden_size\": 0") + ", \"num_hidden_layers\": 2}"),
            ("heads do not divide", "{" + good.Replace("\"num_attention_heads\": 8", "\"num_attention_heads\": 7") + ", \"num_hidden_layers\": 2}"),
            ("vocab 2^31-1", "{" + good.Replace("\"vocab_size\": 1000", "\"vocab_size\": 2147483647") + ", \"num_hidden_layers\": 2}"),
            ("unknown model_type", "{" + good.Replace("llama", "transformer-xl") + ", \"num_hidden_layers\": 2}"),
            ("missing keys", "{\"model_type\": \"llama\"}"),
            ("duplicate keys", "{" + good + ", \"num_hidden_layers\": 2, \"num_hidden_layers\": 3}"),
        };
        foreach (var (name, text) in bad) Add("config.json", name, ["workload", "show", Write(".json", text)]);
        Add("config.json", "5 MiB of spaces", ["workload", "show", Write(".json", "{" + new string(' ', 5 << 20) + "}")]);
        Add("config.json", "NUL bytes", ["workload", "show", Write(".json", [0x7b, 0x00, 0x7d])]);
        Add("config.json", "simulate a billion layers", ["simulate", Arch, Write(".json", "{" + good + ", \"num_hidden_layers\": 1000000000}")]);
        Add("config.json", "boundary: 126 layers", ["workload", "show", Write(".json", "{" + good + ", \"num_hidden_layers\": 126}")], Outcome.Success);
    }

    private static byte[] RandomBytes(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    private static byte[] Safetensors(string header, byte[] data, ulong? lengthOverride = null)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var b = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(b, lengthOverride ?? (ulong)h.Length);
        h.CopyTo(b, 8);
        data.CopyTo(b, 8 + h.Length);
        return b;
    }

    private void Safetensors()
    {
        var four = new byte[16];
        var bad = new (string Name, byte[] Bytes)[]
        {
            ("empty", []), ("7 bytes", [1, 2, 3, 4, 5, 6, 7]), ("header length 2^63", Safetensors("{}", four, 1UL << 63)),
            ("header length past the end", Safetensors("{}", four, 1000)), ("header not JSON", Safetensors("{nope", four)),
            ("header an array", Safetensors("[]", four)), ("entry not an object", Safetensors("{\"w\": 5}", four)),
            ("no dtype", Safetensors("{\"w\": {\"shape\": [4], \"data_offsets\": [0, 16]}}", four)),
            ("unknown dtype", Safetensors("{\"w\": {\"dtype\": \"Q7\", \"shape\": [4], \"data_offsets\": [0, 16]}}", four)),
            ("negative dim", Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [-4], \"data_offsets\": [0, 16]}}", four)),
            ("overflowing shape", Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 16]}}", four)),
            ("byte count overflows", Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [4611686018427387904], \"data_offsets\": [0, 16]}}", four)),
            ("zero-sized", Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [0, 4], \"data_offsets\": [0, 0]}}", four)),
            ("offsets reversed", Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [16, 0]}}", four)),
            ("offsets past the end", Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [1000], \"data_offsets\": [0, 4000]}}", four)),
            ("duplicate names", Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}, \"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", four)),
            ("no tensors", Safetensors("{\"__metadata__\": {}}", four)),
            ("deep JSON", Safetensors(new string('[', 5000) + new string(']', 5000), four)),
            ("NaN and Inf values", Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", NanData())),
            ("random bytes", RandomBytes(4096, 5)),
        };
        foreach (var (name, bytes) in bad)
            Add("safetensors", name, ["quant", Write(".safetensors", bytes), "--format", "int8"], name.StartsWith("NaN") ? Outcome.Success : Outcome.CleanError);
        Add("safetensors", "/dev/zero", ["quant", "/dev/zero.safetensors", "--format", "int8"]);
        Add("safetensors", "--list on junk", ["quant", Write(".safetensors", RandomBytes(100, 6)), "--list"]);
        Add("safetensors", "unknown tensor name", ["quant", Write(".safetensors", Safetensors("{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", four)) + ":nope", "--format", "int8"]);
    }

    private static byte[] NanData()
    {
        var b = new byte[16];
        BinaryPrimitives.WriteSingleLittleEndian(b, 1f);
        BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4), float.NaN);
        BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(8), float.PositiveInfinity);
        BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(12), -2f);
        return b;
    }

    private static byte[] Npy(string dict, byte[] data, byte major = 1, int? headerLen = null)
    {
        string header = dict.PadRight(117) + "\n";
        var h = Encoding.Latin1.GetBytes(header);
        using var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0]);
        var len = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)(headerLen ?? h.Length));
        ms.Write(len);
        ms.Write(h);
        ms.Write(data);
        return ms.ToArray();
    }

    private void Npy()
    {
        var data = new byte[16];
        var bad = new (string Name, byte[] Bytes)[]
        {
            ("empty", []), ("bad magic", Encoding.ASCII.GetBytes("NOTNUMPY0123456789")), ("version 9", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", data, 9)),
            ("header length past the end", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", data, 1, 65535)),
            ("no descr", Npy("{'fortran_order': False, 'shape': (4,), }", data)),
            ("int8 descr", Npy("{'descr': '|i1', 'fortran_order': False, 'shape': (4,), }", data)),
            ("fortran order", Npy("{'descr': '<f4', 'fortran_order': True, 'shape': (4,), }", data)),
            ("overflowing shape", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", data)),
            ("zero-sized", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", data)),
            ("negative dim", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-4,), }", data)),
            ("truncated data", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (400,), }", data)),
            ("NaN and Inf values", Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", NanData())),
            ("random bytes", RandomBytes(512, 7)),
        };
        foreach (var (name, bytes) in bad)
            Add("npy", name, ["quant", Write(".npy", bytes), "--format", "int8"], name.StartsWith("NaN") ? Outcome.Success : Outcome.CleanError);
    }

    private void Onnx()
    {
        var bad = new (string Name, byte[] Bytes)[]
        {
            ("empty", []), ("random bytes", RandomBytes(4096, 8)), ("more random bytes", RandomBytes(100, 9)),
            ("a text file", Encoding.UTF8.GetBytes("ir_version: 7\n")), ("varint that never ends", Enumerable.Repeat((byte)0xff, 64).ToArray()),
            ("length-delimited field past the end", [0x3a, 0xff, 0xff, 0xff, 0x0f, 0x01]),
        };
        foreach (var (name, bytes) in bad)
        {
            Add("onnx", name, ["quant", Write(".onnx", bytes), "--format", "int8"]);
            Add("onnx", name + " (--list)", ["quant", Write(".onnx", bytes), "--list"]);
        }
    }

    private void CliOptions()
    {
        string[] bad = { "-1", "nan", "inf", "abc", "99999999999999999999", "" };
        var numeric = new (string[] Prefix, string Option)[]
        {
            (["simulate", Arch, "--gemm", "64,64,64"], "--batch"), (["simulate", Arch, "llama-2-7b"], "--seq"),
            (["simulate", Arch, "llama-2-7b", "--phase", "decode"], "--kv"), (["simulate", Arch, "--gemm", "64,64,64"], "--top"),
            (["quant", "gaussian", "--format", "int8"], "--count"), (["quant", "gaussian", "--format", "int8"], "--group"),
            (["quant", "gaussian", "--format", "int8"], "--seed"), (["quant", "student-t", "--format", "int8"], "--nu"),
            (["quant", "gaussian", "--format", "int8"], "--gemm-tokens"), (["bench", Arch], "--iterations"), (["bench", Arch], "--seconds"),
            (["verify", "--pe", "int_mac"], "--count"), (["sweep", SweepFile, "--out", Path.Combine(_dir, "jobs")], "--jobs"),
            (["workload", "show", "llama-2-7b"], "--seq"), (["workload", "show", "llama-2-7b"], "--batch"),
        };
        foreach (var (prefix, option) in numeric)
            foreach (var v in bad)
            {
                // "--nu inf" is Student-t's Gaussian limit in principle, but the CLI takes finite numbers only
                Add("CLI option", $"{prefix[0]} {option} {v}", [.. prefix, option, v]);
            }
        foreach (var g in new[] { "1,2", "a,b,c", "0,1,1", "-1,1,1", "1,1,99999999999999999999", "9223372036854775807,1,1", "2000000000,2000000000,2000000000", "1,,1", "" })
            Add("CLI option", $"--gemm {g}", ["simulate", Arch, "--gemm", g]);
        Add("CLI option", "unknown option", ["cost", Arch, "--sett", "x=1"]);
        Add("CLI option", "missing value", ["simulate", Arch, "--gemm"]);
        Add("CLI option", "option given twice", ["simulate", Arch, "--gemm", "8,8,8", "--gemm", "8,8,8"]);
        Add("CLI option", "flag with a value", ["simulate", Arch, "--gemm", "8,8,8", "--json=yes"]);
        Add("CLI option", "extra positional to verify", ["verify", "extra"]);
        Add("CLI option", "extra positional to bench", ["bench", Arch, "extra"]);
        Add("CLI option", "extra positional to version", ["version", "x"]);
        Add("CLI option", "unknown command", ["simulat"]);
        Add("CLI option", "dot --group -1", ["dot", "--pe", "lut", "--format", "int4", "--group", "-1"]);
        Add("CLI option", "dot --g 99", ["dot", "--pe", "lut", "--format", "int4", "--g", "99"]);
        Add("CLI option", "simulate --seq 8192 without --allow-long-context", ["simulate", Arch, "llama-2-7b", "--seq", "8192"]);
        Add("CLI option", "unknown precision recipe", ["simulate", Arch, "llama-2-7b", "--precision", "w3a3"]);
        Add("CLI option", "bad recipe file", ["simulate", Arch, "llama-2-7b", "--precision", Write(".yaml", AliasBomb())]);
        Add("CLI option", "recipe from /dev/zero", ["simulate", Arch, "llama-2-7b", "--precision", "/dev/zero"]);
        Add("CLI option", "quant unknown format", ["quant", "gaussian", "--format", "int99"]);
        Add("CLI option", "arith bad format", ["arith", "fp99", "add", "1", "2"]);
        Add("CLI option", "arith bad hex", ["arith", "fp16", "decode", "zz"]);
        Add("CLI option", "no arguments", []);
        Add("CLI option", "student-t --nu 1e20 (was an all-zero tensor)", ["quant", "student-t", "--format", "int8", "--nu", "1e20"]);
        Add("CLI option", "bench --seconds 1e20 (was a hang)", ["bench", Arch, "--seconds", "1e20"]);
        Add("CLI option", "bench --iterations 2000000000", ["bench", Arch, "--iterations", "2000000000"]);
    }

    private void BatchLines()
    {
        string[] arith =
        {
            "foo bar", "fp16 add 1", "fp16 add zz 1", "fp99 add 1 2", "fp16 cvt:fp99 3c00", "fp16 encode nanx", "int8 div 1 0 0 0",
            new string('f', 100_000), "fp16 fma 1 2", "posit8es9 add 1 1", "fp16 decode " + new string('1', 500), "\u0000\u0001", 
            "int8 encode 1/0", "fp16 add -1 1",
        };
        foreach (var line in arith) Add("--batch line", $"arith: {(line.Length > 30 ? line[..30] + "…" : line)}", ["arith", "--batch"], Outcome.CleanError, line + "\n");
        // overflow to +inf is IEEE round-to-nearest's answer for 10^99999 in fp16, not an error
        Add("--batch line", "arith: fp16 encode 1e99999 (overflows to inf)", ["arith", "--batch"], Outcome.Success, "fp16 encode 1e99999\n");
        string[] dot =
        {
            "--a 1,2 --w 1", "--a x,y --w 1,2", "--a 1,2", "--w 1,2", "--a 1e999,1 --w 1,1", "--a nan,1 --w 1,1", "--frob 1", "--a " + string.Join(",", Enumerable.Repeat("1", 100_000)) + " --w 1",
            "--a 1,2 --w 1,2 --scales zz", "--a 1,2 --w 1,2 --zeros 1,2,3,4,5",
        };
        foreach (var line in dot) Add("--batch line", $"dot: {(line.Length > 30 ? line[..30] + "…" : line)}", ["dot", "--pe", "int_mac", "--format", "int8", "--batch"], Outcome.CleanError, line + "\n");
    }
}
