namespace Mantissa.Explorer.Tests;

public class PeCommandTests
{
    private static (int code, string stdout, string stderr) Run(params string[] args) => CliTests.Run(args);

    [Fact]
    public void PositQuireDotPrintsHexAndExactValue()
    {
        var (code, output, _) = Run("dot", "--pe", "posit_mac", "--format", "posit8es0", "--a", "40,48", "--w", "40,50");
        Assert.Equal(0, code);
        Assert.Equal("67 2.875", output.Trim());   // 1·1 + 1.25·1.5
    }

    [Fact]
    public void DotBuildsItsPeThroughTheYamlBinder()
    {
        // The same PE in an architecture file: bit_serial defaults to 1 bit per cycle and dot_width 1 in both.
        var arch = Mantissa.Arch.Config.ArchitectureLoader.LoadText(
            "name: t\ntarget: asic\ntechnology: {node_nm: 28, vdd: 0.9}\nclock_mhz: 1000\n" +
            "pe: {kind: bit_serial, weights: int4, activations: int8}\narray: {rows: 1, cols: 1, dataflow: ws}\n" +
            "memory:\n  - {name: dram, kind: dram, type: ddr4, bandwidth_gbps: 10, holds: [weights, inputs, outputs]}\n", "t.yaml");
        long yamlCycles = Mantissa.Arch.Model.PeCycleModel.For(arch.Pe).DotCycles(3);
        var (code, output, _) = Run("dot", "--pe", "bit_serial", "--wformat", "int4", "--aformat", "int8", "--a", "7f,80,05", "--w", "7,8,f", "--cycles");
        Assert.Equal(0, code);
        Assert.Equal(12, yamlCycles); // 3 passes × 4 one-bit planes
        Assert.Equal($"00000774 1908 {yamlCycles}", output.Trim()); // 7·127 − 8·(−128) + (−1)·5 = 1908
        // A key the kind does not take is an error naming the option, as the YAML binder names the key.
        (code, _, var err) = Run("dot", "--pe", "int_mac", "--format", "int8", "--g", "4", "--a", "1", "--w", "1");
        Assert.Equal(2, code);
        Assert.Contains("--g: 'g' does not apply to pe kind int_mac", err);
    }

    [Fact]
    public void MixedMinifloatWithCycles()
    {
        var (code, output, _) = Run("dot", "--pe", "minifloat_mac", "--wformat", "fp4e2m1", "--aformat", "fp8e4m3", "--a", "38,c0,7e", "--w", "2,3,7", "--cycles");
        Assert.Equal(0, code);
        Assert.Equal("4527e000 2686 3", output.Trim()); // 1·1 − 2·1.5 + 448·6
    }

    [Fact]
    public void IntMacSaturates()
    {
        var (_, output, _) = Run("dot", "--pe", "int_mac", "--wformat", "int8", "--aformat", "int8", "--accum", "int16", "--overflow", "saturate", "--a", "7f,7f,7f", "--w", "7f,7f,7f");
        Assert.Equal("7fff 32767", output.Trim());
    }

    [Fact]
    public void BitModGroupDequantization()
    {
        var (_, output, _) = Run("dot", "--pe", "bit_serial", "--wformat", "bitmod_fp4_er_pos", "--aformat", "fp16", "--a", "3c00,4000,c200", "--w", "8,7,c", "--scales", "2e66", "--cycles",
            "--bits-per-cycle", "2", "--dot-width", "4");
        // BitMoD's PE: a dot product of 4 at 2 bits per cycle, so 4-bit weights take one pass of 2 cycles.
        // weights 10 (the ER extra value), 12, −4; 1·10 + 2·12 + (−3)·(−4) = 46, times the fp16 scale 0.0999755859375.
        Assert.Equal("40932a00 4.598876953125 2", output.Trim());
    }

    [Fact]
    public void ShiftAddWithZeroPointsAndTwoGroups()
    {
        var (_, output, _) = Run("dot", "--pe", "shift_add", "--wformat", "uint4", "--aformat", "int8", "--group", "4",
            "--a", "1,2,3,4,5", "--w", "f,2,3,0,1", "--scales", "3c00,3800", "--zeros", "8,8");
        Assert.Equal("c28b0000 -69.5", output.Trim());   // (7−12−15−32)·1 + (−7·5)·0.5
    }

    [Fact]
    public void MxBlockDot()
    {
        string ones = string.Join(",", Enumerable.Repeat("2", 32)), halves = string.Join(",", Enumerable.Repeat("3", 32));
        var (code, output, _) = Run("dot", "--pe", "mx_dot", "--format", "mxfp4", "--a", "7f:" + ones, "--w", "7e:" + halves);
        Assert.Equal(0, code);
        Assert.Equal("41c00000 24", output.Trim());   // 32 · 1.0 · 1.5 · 2^0 · 2^−1
    }

    [Fact]
    public void BatchKeepsGoingAfterABadLine()
    {
        var (code, output, _) = CliTests.RunWithInput("--a 40,48 --w 40,50\n--a 40 --w zz\n\n--a 80 --w 40\n",
            "dot", "--pe", "posit_mac", "--format", "posit8es0", "--batch");
        var lines = output.Replace("\r\n", "\n").TrimEnd('\n').Split('\n').Select(l => l.Trim()).ToArray();
        // output line N answers input line N; the blank input line answers with an empty line
        Assert.Equal(new[] { "67 2.875", "error: --w: 'zz' is not a hex code", "", "80 nar" }, lines);
        Assert.Equal(1, code);
    }

    [Fact]
    public void BadInputIsAUsageError()
    {
        var (outCode, _, outErr) = Run("dot", "--pe", "int_mac", "--wformat", "int8", "--aformat", "int8", "--out", "fp16", "--a", "1", "--w", "1");
        Assert.Equal(2, outCode); // a PE option the kind does not take is misuse, like any other bad option
        Assert.Contains("--out does not apply", outErr);
        var (code, _, err) = Run("dot", "--pe", "posit_mac", "--format", "posit8es0", "--a", "40", "--w", "40,40");
        Assert.Equal(2, code);
        Assert.Contains("--a has 1 codes but --w has 2", err);
        (code, _, err) = Run("dot", "--pe", "bitserial", "--format", "int8", "--a", "1", "--w", "1");
        Assert.Equal(2, code);
        Assert.Contains("valid kinds", err);
        (code, _, err) = Run("dot", "--pe", "shift_add", "--wformat", "uint4", "--aformat", "int8", "--a", "1", "--w", "1");
        Assert.Equal(2, code);
        Assert.Contains("--scales needs 1 fp16 code", err);
        (code, _, err) = Run("dot", "--pe", "bit_serial", "--wformat", "int4", "--aformat", "fp16", "--a", "3c00", "--w", "1");
        Assert.Equal(2, code);
        Assert.Contains("--scales needs 1 fp16 code", err);
        // posit16es2 needs a quire wider than the 126-bit fast path: the wide accumulator takes it (1.0 * 1.0 = 1.0)
        (code, var dotOut, err) = Run("dot", "--pe", "posit_mac", "--format", "posit16es2", "--a", "4000", "--w", "4000");
        Assert.True(code == 0, err);
        Assert.StartsWith("4000 ", dotOut);
    }

    [Fact]
    public void VerifyPrintsATableAndPasses()
    {
        var (code, output, _) = Run("verify", "--pe", "posit_mac", "--count", "20", "--seed", "3");
        Assert.Equal(0, code);
        Assert.Contains("posit8es0 quire", output);
        Assert.Contains("mismatches", output);
        Assert.Matches(@"13 checks, 260 cases, 0 mismatches", output);
    }
}

public class PeCommandBitModTypeTests
{
    [Fact]
    public void MixedBitModTypesPerGroup()
    {
        // Code 8 (the −0 slot) means +10 under er_pos and −16 under ea_neg; groups of 4 with unit scales.
        var (code, output, _) = CliTests.Run("dot", "--pe", "bit_serial", "--wformat", "bitmod_fp4_mixed", "--aformat", "int8", "--group", "4",
            "--a", "1,1,1,1,1", "--w", "8,0,0,0,8", "--scales", "3c00,3c00", "--types", "er_pos,ea_neg");
        Assert.Equal(0, code);
        Assert.Equal("c0c00000 -6", output.Trim());
        var (bad, _, err) = CliTests.Run("dot", "--pe", "bit_serial", "--wformat", "bitmod_fp4_mixed", "--aformat", "int8", "--group", "4",
            "--a", "1", "--w", "8", "--scales", "3c00");
        Assert.Equal(2, bad);
        Assert.Contains("needs --types", err);
    }

    [Fact]
    public void OlivePairStreamsAreAPeOperandOnly()
    {
        var (code, _, err) = CliTests.Run("arith", "olive4", "decode", "3");
        Assert.NotEqual(0, code);
        Assert.Contains("outlier-victim pair stream", err);
        var (qc, _, qerr) = CliTests.Run("quant", "laplace", "--format", "olive4", "--count", "64");
        Assert.NotEqual(0, qc);
        Assert.Contains("olive4 is an OliVe outlier-victim pair stream", qerr);
        Assert.DoesNotContain("internal error", qerr);
        var (dc, dout, derr) = CliTests.Run("dot", "--pe", "olive_mac", "--wformat", "olive4", "--aformat", "int4", "--a", "3,2,7,f", "--w", "8,5,7,9");
        Assert.True(dc == 0, derr);
        Assert.Contains("152", dout);
    }
}
