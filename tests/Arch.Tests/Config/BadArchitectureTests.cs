using Mantissa.Arch.Config;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

public class BadArchitectureTests
{
    /// <summary>(case, line of the valid file to replace, replacement (null deletes), expected line, column, key path, message).</summary>
    public static TheoryData<string, int, string?, int, int, string, string> Cases() => new()
    {
        { "unknown key with suggestion", 14, "  colz: 16", 14, 3, "array.colz",
          "unknown key 'colz'; did you mean 'cols'? (valid keys here: rows, cols, dataflow, weight_preload, vector_lanes)" },
        { "unknown top-level key", 6, "clock_mhz: 1000\nclok: 5", 7, 1, "clok",
          "unknown key 'clok'; did you mean 'clock_mhz'? (valid keys here: base, name, target, technology, fpga, clock_mhz, pe, array, memory, overrides, sim, chip)" },
        { "zero rows", 13, "  rows: 0", 13, 9, "array.rows", "expected an integer 1..65536, got 0" },
        { "rows of the wrong type", 13, "  rows: abc", 13, 9, "array.rows", "expected an integer 1..65536, got 'abc'" },
        { "fractional rows", 13, "  rows: 16.5", 13, 9, "array.rows", "expected an integer 1..65536, got '16.5'" },
        { "quoted number", 14, "  cols: \"16\"", 14, 9, "array.cols", "expected an integer 1..65536, got the quoted string \"16\"" },
        { "mapping where a scalar belongs", 13, "  rows: {a: 1}", 13, 9, "array.rows", "expected an integer 1..65536, got a mapping" },
        { "bad dataflow", 15, "  dataflow: wss", 15, 13, "array.dataflow", "expected one of ws, os, is, search, got 'wss'; did you mean 'ws'?" },
        { "bad dataflow in a list", 15, "  dataflow: [ws, oss]", 15, 18, "array.dataflow.1", "expected one of ws, os, is, got 'oss'; did you mean 'os'?" },
        { "dataflow listed twice", 15, "  dataflow: [os, is, os]", 15, 22, "array.dataflow.2", "'os' is listed twice" },
        { "empty dataflow list", 15, "  dataflow: []", 15, 13, "array.dataflow",
          "expected ws, os, is, search (the mapper chooses among all three) or a list of two or more of ws, os, is, got an empty list" },
        { "dataflow search inside a list", 15, "  dataflow: [search]", 15, 14, "array.dataflow.0", "expected one of ws, os, is, got 'search'" },
        { "negative bandwidth", 20, "    bandwidth_gbps: -5", 20, 21, "memory.dram.bandwidth_gbps", "expected a number ≥ 0.001 and ≤ 100000000 GB/s, got -5" },
        { "capacity smaller than one word", 23, "    capacity_bytes: 8", 23, 21, "memory.buf.capacity_bytes",
          "capacity 8 B is smaller than one 128-bit word (16 B)" },
        { "capacity too small for its banks", 24, "    width_bits: 128\n    banks: 8\n    capacity_bytes: 64", 26, 21, "memory.buf.capacity_bytes",
          "capacity 64 B cannot hold one 128-bit word in each of 8 banks (128 B)" },
        { "capacity given twice", 23, "    capacity_kib: 64\n    capacity_mib: 1", 24, 5, "memory.buf.capacity_mib",
          "give the capacity once; 'capacity_kib' is already set" },
        { "capacity not a whole number of bytes", 23, "    capacity_kib: 0.3", 23, 19, "memory.buf.capacity_kib",
          "expected a whole number of bytes, got 0.3 KiB = 307.2 B" },
        { "format the kind does not support", 9, "  weights: fp16", 9, 12, "pe.weights",
          "pe kind int_mac does not support weight format fp16 (supported: int2..int32, uint1..uint32, ternary)" },
        { "unknown format name", 10, "  activations: int9x", 10, 16, "pe.activations",
          "unknown number format 'int9x'; valid formats: int2..int64, uint1..uint64 (the wide ones are accumulators, e.g. int48), ternary, fp4e2m1, fp6e2m3, fp6e3m2, fp8e4m3, fp8e5m2, fp16, bf16, fp32, fp<N>e<E>m<M> (3<=N<=32, N=1+E+M), posit<N>es<ES> (2<=N<=32, 0<=ES<=4), e8m0, mxfp4, mxfp6e2m3, mxfp6e3m2, mxfp8e4m3, mxfp8e5m2, mxint8, nvfp4, ANT flint3..flint8, uflint2..uflint8, pot2..pot8, upot2..upot8, OliVe abfloat4..abfloat8, olive4..olive8 (outlier-victim pair streams, PE operands)" },
        { "missing required key", 8, null, 7, 1, "pe.kind",
          $"missing required key 'kind' (expected one of {PeKindNames})" },
        { "misspelled pe kind", 8, "  kind: int_mack", 8, 9, "pe.kind",
          $"expected one of {PeKindNames}, got 'int_mack'; did you mean 'int_mac'?" },
        { "YAML syntax error", 13, "  rows: [1", 13, 9, "", "YAML syntax error: malformed or unterminated flow collection, quote or block" },
        { "duplicate key", 13, "  rows: 16\n  rows: 8", 14, 3, "", "YAML syntax error: duplicate key 'rows'" },
        { "accumulator narrower than a product", 11, "  accumulator: int8", 11, 16, "pe.accumulator",
          "accumulator int8 cannot hold one int8 × int8 product (16 bits)" },
        { "overflow with a float accumulator", 11, "  accumulator: fp32\n  overflow: saturate", 12, 3, "pe.overflow",
          "overflow applies only to integer accumulators, but the accumulator is fp32" },
        { "parameter of another kind", 11, "  accumulator: int32\n  g: 4", 12, 3, "pe.g", "'g' does not apply to pe kind int_mac (it applies to: lut)" },
        { "quire for integers", 11, "  accumulator: quire", 11, 16, "pe.accumulator",
          "a quire accumulates posit products (pe kinds posit_mac and simd_mac with posit operands); use 'exact' for a Kulisch accumulator" },
        { "unsigned integer accumulator", 11, "  accumulator: uint32", 11, 16, "pe.accumulator",
          "uint32 cannot be an accumulator for pe kind int_mac: an integer accumulator register is two's complement; use a signed int format (e.g. int32, int48)" },
        { "technology on an FPGA", 2, "target: fpga\nfpga: {device: u280}", 4, 1, "technology",
          "'technology' applies only to target: asic (this design is target: fpga)" },
        { "unknown FPGA device", 2, "target: fpga\nfpga: {device: u55c}", 3, 16, "fpga.device",
          "expected one of u280, u250, vck190, zcu104, ultra96, vcu129, got 'u55c'; did you mean 'u250'?" },
        { "bad holds entry", 25, "    holds: [weights, input]", 25, 22, "memory.buf.holds.1",
          "expected one of weights, inputs, outputs, got 'input'; did you mean 'inputs'?" },
        { "unknown DRAM type", 19, "    type: hbm4", 19, 11, "memory.dram.type",
          "expected one of hbm2, hbm2e, hbm3, ddr4, ddr5, lpddr4, lpddr5, gddr6, got 'hbm4'; did you mean 'hbm2'?" },
        { "not a boolean", 5, "  vdd: 0.9\nsim: {model_fill: yes}", 6, 19, "sim.model_fill", "expected true or false, got 'yes'" },
        { "duplicate level name", 21, "  - name: dram", 21, 11, "memory.dram.name", "duplicate level name 'dram' (first used at line 17)" },
        { "DRAM not first", 18, "    kind: sram", 18, 11, "memory.dram.kind", "memory.0 must be the dram level (levels run from DRAM inward)" },
        { "DRAM without bandwidth", 20, null, 17, 5, "memory.dram.bandwidth_gbps",
          "missing required key 'bandwidth_gbps' (expected the DRAM bandwidth in GB/s (or read_bw/write_bw in bytes per cycle))" },
        { "zero clock", 6, "clock_mhz: 0", 6, 12, "clock_mhz", "expected a number ≥ 1 and ≤ 10000 MHz, got 0" },
        { "override without source", 25, "    holds: [weights, inputs, outputs]\noverrides:\n  pe:\n    area_um2: {value: 1500}", 28, 15, "overrides.pe.area_um2.source",
          "missing required key 'source' (expected a citation of the published figure (paper, table, node))" },
        { "override of an unknown level", 25, "    holds: [weights, inputs, outputs]\noverrides:\n  memory:\n    bufr: {read_pj: {value: 1, source: x}}", 28, 5, "overrides.memory.bufr",
          "no memory level named 'bufr'; did you mean 'buf'? (levels: dram, buf)" },
        { "FPGA resource pinned on an ASIC", 25, "    holds: [weights, inputs, outputs]\noverrides:\n  pe:\n    dsp: {value: 1, source: x}", 28, 5, "overrides.pe.dsp",
          "'dsp' is an FPGA resource count; it applies only to target: fpga" },
        { "override value negative", 25, "    holds: [weights, inputs, outputs]\noverrides:\n  area_mm2: {value: -2, source: x}", 27, 21, "overrides.area_mm2.value",
          "expected a number ≥ 0 and ≤ 1000000000000, got -2" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachProblemIsReportedWithPositionKeyAndMessage(string name, int line, string? replacement, int expectLine, int expectColumn,
                                                               string keyPath, string message)
    {
        var problems = Problems(WithLine(line, replacement));
        var match = problems.FirstOrDefault(d => d.KeyPath == keyPath && d.Message == message);
        Assert.True(match is not null, $"{name}: expected '{keyPath}: {message}', got:\n" + string.Join("\n", problems));
        Assert.Equal("t.yaml", match!.File);
        Assert.Equal(expectLine, match.Line);
        Assert.Equal(expectColumn, match.Column);
    }

    [Fact]
    public void ATensorNoLevelHoldsIsReported()
    {
        var yaml = Valid.Replace("    bandwidth_gbps: 25.6\n", "    bandwidth_gbps: 25.6\n    holds: [weights, inputs]\n")
                        .Replace("holds: [weights, inputs, outputs]", "holds: [weights]");
        var d = Assert.Single(Problems(yaml));
        Assert.Equal("t.yaml:17:3: memory: no level holds outputs; list it under 'holds' of at least one level", d.ToString());
    }

    [Fact]
    public void FloatActivationsCannotBeSerial()
    {
        var yaml = Valid.Replace("  kind: int_mac", "  kind: bit_serial\n  serial_operand: activations")
                        .Replace("  activations: int8", "  activations: fp16").Replace("  accumulator: int32", "  accumulator: fp32");
        var d = Assert.Single(Problems(yaml));
        Assert.Equal("t.yaml:9:19: pe.serial_operand: serial activations must be integers, but activations are fp16", d.ToString());
    }

    [Fact]
    public void EveryProblemInOneFileIsReportedInFileOrder()
    {
        var yaml = Valid.Replace("vdd: 0.9", "vdd: 5").Replace("weights: int8", "weights: fp16").Replace("rows: 16", "rows: 0")
                        .Replace("dataflow: ws", "dataflow: diagonal").Replace("capacity_kib: 64", "capacity_kib: -1")
                        .Replace("width_bits: 128", "width_bits: 128\n    bankz: 2");
        var problems = Problems(yaml);
        Assert.Equal(
        [
            "t.yaml:5:8: technology.vdd: expected a number ≥ 0.2 and ≤ 2 V, got 5",
            "t.yaml:9:12: pe.weights: pe kind int_mac does not support weight format fp16 (supported: int2..int32, uint1..uint32, ternary)",
            "t.yaml:11:16: pe.accumulator: an integer accumulator needs integer operands, but the operands are fp16 × int8; use fp32 or exact",
            "t.yaml:13:9: array.rows: expected an integer 1..65536, got 0",
            "t.yaml:15:13: array.dataflow: expected one of ws, os, is, search, got 'diagonal'",
            "t.yaml:23:19: memory.buf.capacity_kib: expected a number > 0 KiB, got -1",
            "t.yaml:25:5: memory.buf.bankz: unknown key 'bankz'; did you mean 'banks'? (valid keys here: name, kind, type, capacity_bytes, capacity_kib, capacity_mib, capacity_gib, width_bits, banks, bandwidth_gbps, read_bw, write_bw, holds, may_bypass, double_buffered, per_pe, cell, mapping)",
        ], problems.Select(p => p.ToString()));
    }

    [Fact]
    public void TheExceptionMessageListsEveryProblem()
    {
        var ex = Assert.Throws<ConfigException>(() => ArchitectureLoader.LoadText(Valid.Replace("rows: 16", "rows: 0").Replace("cols: 16", "cols: x"), "t.yaml"));
        Assert.Equal("invalid architecture t.yaml (2 problems):\n" +
                     "  t.yaml:13:9: array.rows: expected an integer 1..65536, got 0\n" +
                     "  t.yaml:14:9: array.cols: expected an integer 1..65536, got 'x'", ex.Message);
        Assert.IsAssignableFrom<MantissaException>(ex);
    }

    [Fact]
    public void AnEmptyFileIsAProblemNotACrash()
    {
        var d = Assert.Single(Problems("# nothing here\n"));
        Assert.Equal("t.yaml:1:1: the file is empty; expected a mapping with name, target, pe, array and memory", d.ToString());
    }

    [Fact]
    public void ATopLevelListIsRejected()
    {
        var d = Assert.Single(Problems("- a\n- b\n"));
        Assert.Equal("t.yaml:1:1: expected a mapping at the top level, got a list", d.ToString());
    }

    [Fact]
    public void AMissingFileIsAProblemNotACrash()
    {
        var ex = Assert.Throws<ConfigException>(() => ArchitectureLoader.Load("/nonexistent/dir/x.yaml"));
        Assert.Equal("/nonexistent/dir/x.yaml: architecture file '/nonexistent/dir/x.yaml' not found", Assert.Single(ex.Diagnostics).ToString());
    }

    [Fact]
    public void AScalarWhereAListBelongsShowsTheValue()
    {
        var yaml = string.Join("\n", ValidLines.Take(15)) + "\nmemory: dram\n";
        var d = Assert.Single(Problems(yaml));
        Assert.Equal("t.yaml:16:9: memory: expected a list of memory levels, DRAM first, got 'dram'", d.ToString());
    }
}
