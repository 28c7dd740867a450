using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

public class PeSectionTests
{
    private static ArchitectureSpec WithPe(string flowPe) => ArchitectureLoader.LoadText(Valid, "t.yaml", [Set("pe=" + flowPe)]);

    /// <summary>Format pairs each kind must accept (pe-models.md §2.2 and the support table).</summary>
    [Theory]
    [InlineData("int_mac", "int4", "int8")]
    [InlineData("int_mac", "ternary", "int8")]
    [InlineData("int_mac", "uint1", "uint8")]
    [InlineData("bit_serial", "int3", "fp16")]
    [InlineData("bit_serial", "ternary", "int8")]
    [InlineData("lut", "uint1", "bf16")]
    [InlineData("lut", "int4", "int8")]
    [InlineData("shift_add", "uint8", "fp16")]
    [InlineData("posit_mac", "posit8es0", "posit16es1")]
    [InlineData("minifloat_mac", "fp4e2m1", "fp8e4m3")]
    [InlineData("minifloat_mac", "fp6e3m2", "fp6e2m3")]
    [InlineData("mx_dot", "mxfp4", "mxfp8e4m3")]
    [InlineData("mx_dot", "mxint8", "mxint8")]
    [InlineData("simd_mac", "posit4es1", "posit4es1")]
    [InlineData("simd_mac", "fp4e2m1", "fp4e2m1")]
    [InlineData("fp_mac", "bf16", "bf16")]
    public void SupportedFormatsLoad(string kind, string weights, string activations)
    {
        var spec = WithPe($"{{kind: {kind}, weights: {weights}, activations: {activations}}}");
        Assert.Equal(weights, spec.Pe.WeightFormat.Name);
        Assert.Equal(activations, spec.Pe.ActivationFormat.Name);
    }

    [Theory]
    [InlineData("int_mac", "fp8e4m3", "int8", "weights")]
    [InlineData("int_mac", "int8", "ternary", "activations")]
    [InlineData("bit_serial", "int16", "fp16", "weights")]
    [InlineData("bit_serial", "int4", "bf16", "activations")]
    [InlineData("lut", "int8", "fp16", "weights")]
    [InlineData("shift_add", "ternary", "int8", "weights")]
    [InlineData("posit_mac", "fp8e4m3", "posit8es0", "weights")]
    [InlineData("minifloat_mac", "fp32", "fp8e4m3", "weights")]
    [InlineData("mx_dot", "fp4e2m1", "mxfp4", "weights")]
    [InlineData("simd_mac", "posit8es1", "posit8es1", "weights")]
    [InlineData("fp_mac", "fp16", "fp8e5m2", "activations")]
    public void UnsupportedFormatsAreRejectedWithTheSupportedList(string kind, string weights, string activations, string bad)
    {
        var problems = Problems(Valid, [Set($"pe={{kind: {kind}, weights: {weights}, activations: {activations}}}")]);
        var d = problems.Single(p => p.KeyPath == "pe." + bad);
        var row = PeKind.Parse(kind);
        var (format, supported) = bad == "weights" ? (weights, row.WeightFormats) : (activations, row.ActivationFormats);
        Assert.Equal($"pe kind {kind} does not support {(bad == "weights" ? "weight" : "activation")} format {format} (supported: {supported})", d.Message);
    }

    [Fact]
    public void AccumulatorDefaultsFollowTheOperands()
    {
        Assert.Equal("int32", WithPe("{kind: int_mac, weights: int4, activations: int8}").Pe.Accumulator.Name);
        Assert.Equal("fp32", WithPe("{kind: bit_serial, weights: int4, activations: fp16}").Pe.Accumulator.Name);
        var posit = WithPe("{kind: posit_mac, weights: posit8es0, activations: posit8es0}").Pe;
        Assert.Equal("quire", posit.Accumulator.Name);
        Assert.True(posit.Parameters.Quire);
        var fma = WithPe("{kind: posit_mac, weights: posit16es1, activations: posit16es1, quire: false}").Pe;
        Assert.Equal("posit16es1", fma.Accumulator.Name);
        Assert.False(fma.Parameters.Quire);
        var toFloat = WithPe("{kind: posit_mac, weights: posit8es0, activations: posit8es0, accumulator: fp32}").Pe;
        Assert.Equal(("fp32", false), (toFloat.Accumulator.Name, toFloat.Parameters.Quire));
        // FP8/FP6/FP4 dot products sum exact products in a Kulisch register by default; a float accumulator rounds per add.
        var fp8 = WithPe("{kind: minifloat_mac, weights: fp8e4m3, activations: fp8e4m3}").Pe;
        Assert.Equal(("exact", true), (fp8.Accumulator.Name, fp8.Parameters.Quire));
        var perAdd = WithPe("{kind: minifloat_mac, weights: fp8e4m3, activations: fp8e4m3, accumulator: fp16}").Pe;
        Assert.Equal(("fp16", false), (perAdd.Accumulator.Name, perAdd.Parameters.Quire));
        Assert.Equal("quire", WithPe("{kind: simd_mac, weights: posit8es0, activations: posit8es0}").Pe.Accumulator.Name);
        Assert.Equal("fp32", WithPe("{kind: simd_mac, weights: fp4e2m1, activations: fp4e2m1}").Pe.Accumulator.Name);
    }

    [Theory]
    // posit(n, es): the quire formula 4·(n−2)·2^es + 2 of pe-models.md §2.2 E, plus 31 carry bits.
    [InlineData("posit_mac", "posit8es0", "quire", 4 * 6 * 1 + 2 + 31)]
    [InlineData("posit_mac", "posit16es1", "quire", 4 * 14 * 2 + 2 + 31)]
    [InlineData("simd_mac", "posit4es1", "quire", 4 * 2 * 2 + 2 + 31)]
    // int8 × int8 products need 16 bits; the exact accumulator adds 31 carry bits.
    [InlineData("int_mac", "int8", "exact", 16 + 31)]
    // fp8 E4M3: max 448, smallest subnormal 2^−9; 448² = 200704 < 2^18, so product bits run from 2^17 down to 2^−18.
    [InlineData("minifloat_mac", "fp8e4m3", "exact", 17 - (-18) + 1 + 1 + 31)]
    // uint4 × ternary: 15·1 needs 4 bits, plus sign.
    [InlineData("int_mac", "uint4", "exact", 4 + 1 + 31)]
    public void ExactAccumulatorsAreWideEnoughForEveryProduct(string kind, string format, string acc, int bits)
    {
        var act = format == "uint4" ? "uint4" : format;
        var weights = format == "uint4" ? "ternary" : format;
        var pe = WithPe($"{{kind: {kind}, weights: {weights}, activations: {act}, accumulator: {acc}}}").Pe;
        var exact = Assert.IsType<ExactAccumulatorFormat>(pe.Accumulator);
        Assert.Equal(acc == "quire", exact.IsQuire);
        Assert.Equal(bits, exact.Bits);
    }

    [Theory]
    [InlineData("fp4e2m1", 4)]
    [InlineData("posit8es0", 2)]
    [InlineData("posit16es1", 1)]
    public void SimdLanesDefaultToASixteenBitDatapath(string format, int lanes)
    {
        Assert.Equal(lanes, WithPe($"{{kind: simd_mac, weights: {format}, activations: {format}}}").Pe.Parameters.Lanes);
    }

    [Fact]
    public void KindParametersMapOntoPeParameters()
    {
        var p = WithPe("{kind: bit_serial, weights: int6, activations: int8, bits_per_cycle: 2, serial_operand: activations, group_size: 64, dot_width: 4, overflow: saturate, pipeline_depth: 2}").Pe;
        Assert.Equal(new PeParameters { BitsPerCycle = 2, SerialOperand = SerialOperand.Activations, GroupSize = 64, Overflow = OverflowMode.Saturate, PipelineDepth = 2 }, p.Parameters);
        Assert.Equal(4, p.DotWidth);
        var lut = WithPe("{kind: lut, weights: ternary, activations: int8, g: 3, lut_entries: int8, group_size: 0}").Pe.Parameters;
        Assert.Equal((3, LutEntryMode.Int8, 0), (lut.LutGroup, lut.LutEntries, lut.GroupSize));
    }

    [Theory]
    [InlineData("{kind: bit_serial, weights: int2, activations: fp16, bits_per_cycle: 4}", "pe.bits_per_cycle", "bits_per_cycle 4 exceeds the 2-bit serial operand (int2)")]
    [InlineData("{kind: bit_serial, weights: int4, activations: fp16, bits_per_cycle: 3}", "pe.bits_per_cycle", "expected one of 1, 2, 4, got '3'")]
    [InlineData("{kind: lut, weights: int2, activations: fp16, dot_width: 8, group_size: 100}", "pe.group_size", "group_size 100 is not a multiple of dot_width 8")]
    [InlineData("{kind: simd_mac, weights: posit8es0, activations: fp4e2m1}", "pe.activations", "simd_mac runs one format at a time: activations (fp4e2m1) must match weights (posit8es0)")]
    [InlineData("{kind: posit_mac, weights: posit8es0, activations: posit8es0, quire: true, accumulator: fp32}", "pe.quire", "quire: true contradicts accumulator: fp32")]
    [InlineData("{kind: mx_dot, weights: mxfp4, activations: mxfp4, accumulator: mxfp4}", "pe.accumulator", "mxfp4 cannot be an accumulator for pe kind mx_dot; use an integer, floating-point, quire or exact accumulator")]
    [InlineData("{kind: fp8_fp4_mac, weights: fp8e4m3, activations: fp8e4m3, accumulator: fp32}", "pe.accumulator", "fp8_fp4_mac accumulates exactly in a fixed-point (Kulisch) register; use accumulator: exact, got 'fp32'")]
    [InlineData("{kind: fp_mac, weights: fp16, activations: fp16, lanes: 2}", "pe.lanes", "'lanes' does not apply to pe kind fp_mac (it applies to: simd_mac)")]
    [InlineData("{kind: simd_mac, weights: posit8es0, activations: posit8es0, lanes: 4}", "pe.lanes", "a 16-bit simd_mac datapath splits into 2 lanes for 8-bit operands, not 4; use dot_width for more datapaths per PE")]
    [InlineData("{kind: fp_mac, weights: fp16, activations: fp16, dot_width: 0}", "pe.dot_width", "expected an integer 1..4096, got 0")]
    [InlineData("{kind: fp_mac, weights: fp16, activations: fp16, accumulator: fp17}", "pe.accumulator", "unknown number format 'fp17'; valid formats: int2..int64, uint1..uint64 (the wide ones are accumulators, e.g. int48), ternary, fp4e2m1, fp6e2m3, fp6e3m2, fp8e4m3, fp8e5m2, fp16, bf16, fp32, fp<N>e<E>m<M> (3<=N<=32, N=1+E+M), posit<N>es<ES> (2<=N<=32, 0<=ES<=4), e8m0, mxfp4, mxfp6e2m3, mxfp6e3m2, mxfp8e4m3, mxfp8e5m2, mxint8, nvfp4, ANT flint3..flint8, uflint2..uflint8, pot2..pot8, upot2..upot8, OliVe abfloat4..abfloat8, olive4..olive8 (outlier-victim pair streams, PE operands), quire, exact")]
    public void ImpossiblePeParametersAreRejected(string pe, string keyPath, string message)
    {
        var d = Assert.Single(Problems(Valid, [Set("pe=" + pe)]));
        Assert.Equal(("--set pe", keyPath, message), (d.File, d.KeyPath, d.Message));
    }

    [Fact]
    public void AKindThatNeedsAnExactAccumulatorRejectsAnotherWithFileLineAndKey()
    {
        var yaml = ConfigFixtures.WithLine(8, "  kind: fp8_fp4_mac").Replace("  weights: int8", "  weights: fp8e4m3")
            .Replace("  activations: int8", "  activations: fp4e2m1").Replace("  accumulator: int32", "  accumulator: fp16");
        var d = Assert.Single(Problems(yaml));
        Assert.Equal("t.yaml:11:16: pe.accumulator: fp8_fp4_mac accumulates exactly in a fixed-point (Kulisch) register; use accumulator: exact, got 'fp16'",
            d.ToString());
    }
}
