using Mantissa.Sim.Pe;
using Mantissa.Verification;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>The checked configurations are collected from the functional models, not from a central list.</summary>
public class PeConfigurationsTests
{
    // The central list as it was before each model declared its own (issue 11): the collected set must not lose or add a check.
    private static readonly (string Kind, string Label)[] ListBeforeTheMove =
    [
        ("int_mac", "int8 x int8 -> int32 wrap"),
        ("int_mac", "int8 x int8 -> int16 saturate"),
        ("int_mac", "int4 x uint8 -> int12 wrap"),
        ("ant_mac", "flint4 x int4 -> int32 wrap"),
        ("ant_mac", "uflint8 x flint8 -> int32 wrap"),
        ("ant_mac", "pot4 x uflint4 -> int16 saturate"),
        ("ant_mac", "flint4 x flint4 -> int12 wrap"),
        ("ant_mac", "flint4 x fp16 -> fp32 per pass"),
        ("ant_mac", "pot4 x fp16 -> fp32 per pass"),
        ("ant_mac", "uflint8 x fp16 -> fp32 per pass"),
        ("bit_fusion", "fused int8 x int8 -> int32 wrap"),
        ("bit_fusion", "fused int4 x int8 -> int32 wrap"),
        ("bit_fusion", "fused uint8 x int2 -> int16 saturate"),
        ("bit_fusion", "fused int2 x uint2 -> int8 wrap"),
        ("bit_fusion", "fused int3 x uint4 -> int12 wrap"),
        ("bit_fusion", "fused uint6 x int5 -> int32 wrap"),
        ("olive_mac", "olive4 x int4 -> int32 wrap"),
        ("olive_mac", "olive4 x uint8 -> int16 saturate"),
        ("olive_mac", "olive8 x int2 -> int32 wrap"),
        ("olive_mac", "olive5 x int2 -> int12 wrap"),
        ("olive_mac", "olive4 x olive4 (W4A4) -> int32 wrap"),
        ("olive_mac", "olive5 x olive4 -> int12 saturate"),
        ("olive_mac", "olive4 x fp16 -> fp32 per pass"),
        ("olive_mac", "olive6 x fp16 -> fp32 per pass"),
        ("bit_serial", "w-serial int4 bpc1, a int8 -> int32"),
        ("bit_serial", "w-serial int5 bpc2, a int8 -> int16 sat"),
        ("bit_serial", "w-serial int8 bpc4, a uint8 -> int32"),
        ("bit_serial", "a-serial (Stripes) a int8 bpc1, w int8"),
        ("bit_serial", "w-serial int3 bpc2, a int8, g128 -> fp32"),
        ("bit_serial", "w-serial int6 bpc2, a fp16, g64 -> fp32"),
        ("bit_serial", "BitMoD fp4_er_pos bpc2, a fp16, g128"),
        ("bit_serial", "BitMoD fp4_ea_neg bpc2, a fp16, g128"),
        ("bit_serial", "BitMoD fp4 mixed per-group types, a fp16, g128"),
        ("bit_serial", "BitMoD fp3 mixed per-group types, a int8, g8"),
        ("bit_serial", "BitMoD fp3_ea_pos bpc2, a int8, g128"),
        ("bit_serial", "BitMoD fp3_er_neg bpc1, a fp16, g32 -> fp16"),
        ("lut", "int2 g4 exact, a int8"),
        ("lut", "uint3 g3 exact, a int8"),
        ("lut", "int4 g8 exact, a uint8"),
        ("lut", "int2 g4 int8 tables, int16 wrap, g64"),
        ("lut", "int4 g2 int8 tables, int8 sat, a fp16, g32"),
        ("lut", "uint4 g4 fp16 tables per_pe, a fp16, g128"),
        ("lut", "int2 g4 full tables per_pe, a int8, g64"),
        ("lut", "int3 g1 fp16 tables, a int8, g16"),
        ("shift_add", "uint4 zero-point, a int8, g128"),
        ("shift_add", "int4, a fp16, g64"),
        ("shift_add", "uint8 zero-point, a fp16, g32 -> fp16"),
        ("posit_mac", "posit8es0 quire"),
        ("posit_mac", "posit8es2 quire -> fp32"),
        ("posit_mac", "posit16es1 quire"),
        ("posit_mac", "posit8es1 quire"),
        ("posit_mac", "posit8es3 wide quire"),
        ("posit_mac", "posit16es2 wide quire"),
        ("posit_mac", "posit32es2 512-bit quire"),
        ("posit_mac", "posit32es0 quire"),
        ("posit_mac", "posit32es3 quire -> fp32"),
        ("posit_mac", "posit16es1 x posit32es2 quire -> posit32es2"),
        ("posit_mac", "posit32es2 fma per term"),
        ("posit_mac", "posit8es0 fma per term"),
        ("posit_mac", "posit8es1 x posit8es1 fma into posit16es1"),
        ("minifloat_mac", "fp4e2m1 x fp4e2m1 kulisch -> fp32"),
        ("minifloat_mac", "fp4e2m1 x fp8e4m3 kulisch -> fp32"),
        ("minifloat_mac", "fp8e4m3 x fp8e4m3 kulisch -> fp16"),
        ("minifloat_mac", "fp8e5m2 x fp8e5m2 fp32 per add"),
        ("minifloat_mac", "fp6e2m3 x fp6e3m2 fp16 per add"),
        ("fp8_fp4_mac", "dual fp4e2m1 x fp4e2m1 two lanes, exact -> fp32"),
        ("fp8_fp4_mac", "dual fp8e4m3 x fp8e4m3, exact -> fp32"),
        ("fp8_fp4_mac", "dual fp8e5m2 x fp8e4m3, exact -> fp32"),
        ("fp8_fp4_mac", "dual fp4e2m1 x fp8e5m2 one lane, exact -> fp32"),
        ("mx_dot", "mxfp4 x mxfp4"),
        ("mx_dot", "mxfp8e4m3 x mxfp6e2m3"),
        ("mx_dot", "mxfp8e5m2 x mxfp8e5m2"),
        ("mx_dot", "mxint8 x mxfp6e3m2"),
        ("simd_mac", "4 x fp4e2m1 -> fp32"),
        ("simd_mac", "4 x posit4es1"),
        ("simd_mac", "2 x posit8es0"),
        ("simd_mac", "1 x posit16es1"),
    ];

    /// <summary>Configurations added since the move: integer accumulators wider than int32 (int33..int64).</summary>
    private static readonly (string Kind, string Label)[] WideAccumulators =
    [
        ("int_mac", "int8 x int8 -> int64 wrap"),
        ("int_mac", "int16 x int16 -> int34 wrap"),
        ("int_mac", "int16 x uint16 -> int36 saturate"),
        ("int_mac", "int16 x int16 -> int48 wrap"),
        ("bit_fusion", "fused int8 x int8 -> int64 wrap"),
        ("bit_fusion", "fused int4 x uint4 -> int40 saturate"),
        ("bit_serial", "w-serial int8 bpc2, a int8 -> int64"),
        ("bit_serial", "w-serial int4 bpc4, a int16 -> int48 sat"),
        ("lut", "int4 g4 exact, a int8 -> int64"),
        ("lut", "int2 g4 int8 tables, int64 wrap, g64"),
        ("ant_mac", "flint8 x int8 -> int64 wrap"),
        ("olive_mac", "olive4 x int8 -> int64 wrap"),
    ];

    [Fact]
    public void TheCollectedConfigurationsOfTheseKindsAreTheFormerListAndTheWideAccumulators()
    {
        var kinds = ListBeforeTheMove.Select(r => r.Kind).ToHashSet();
        var collected = PeConfigurations.All.Where(c => kinds.Contains(c.Kind.Name)).Select(c => (c.Kind.Name, c.Label)).ToList();
        Assert.Equal(77, ListBeforeTheMove.Length);
        var expected = ListBeforeTheMove.Concat(WideAccumulators).ToList();
        Assert.Equal(expected.Count, collected.Count);
        Assert.Equal(expected.OrderBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Label, StringComparer.Ordinal),
            collected.OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2, StringComparer.Ordinal));
    }

    [Fact]
    public void EveryModelledKindDeclaresConfigurationsWithUniqueLabels()
    {
        foreach (var kind in PeFactory.ModelledKinds)
            Assert.True(PeConfigurations.All.Any(c => c.Kind == kind), $"{kind.Name} declares no configuration to check");
        Assert.Equal(PeConfigurations.All.Count, PeConfigurations.All.Select(c => c.Label).Distinct().Count());
    }

    [Fact]
    public void EachConfigurationBuildsAModelOfItsKindInKindOrder()
    {
        var order = PeConfigurations.All.Select(c => PeFactory.ModelledKinds.ToList().IndexOf(c.Kind)).ToList();
        Assert.Equal(order.Order(), order);
        foreach (var c in PeConfigurations.All)
            Assert.Equal(c.Kind, c.Create().Spec.Kind);
    }
}
