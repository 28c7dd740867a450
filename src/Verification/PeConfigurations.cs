using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

using Mantissa.Sim.Pe;

namespace Mantissa.Verification;

/// <summary>A named PE configuration that <c>mantissa verify</c> and the tests check against the reference.</summary>
public sealed record PeConfiguration(string Label, Func<PeModel> Create)
{
    public PeKind Kind => Create().Spec.Kind;
}

/// <summary>The standard set of checked PE configurations (at least one per kind and mode, with the hard formats).</summary>
public static class PeConfigurations
{
    private static NumberFormat F(string n) => BitModFormat.ParseAny(n);

    private static PeSpec Spec(PeKind kind, string w, string a, string acc, int dp, PeParameters? p = null) =>
        new(kind, F(w), F(a), F(acc), dp, p ?? new PeParameters());

    // Bound through the YAML binder, so the kind's default (exact) accumulator is the one checked.
    private static PeModel Bound(string kind, string w, string a, int dp) => PeFactory.Create(Mantissa.Arch.Config.PeOptions.Bind(
        [("kind", kind), ("weights", w), ("activations", a), ("dot_width", dp.ToString(System.Globalization.CultureInfo.InvariantCulture))], "verify"));

    private static PeConfiguration C(string label, Func<PeModel> create) => new(label, create);

    public static IReadOnlyList<PeConfiguration> All { get; } = new[]
    {
        C("int8 x int8 -> int32 wrap", () => new IntMacPe(Spec(PeKind.IntMac, "int8", "int8", "int32", 4))),
        C("int8 x int8 -> int16 saturate", () => new IntMacPe(Spec(PeKind.IntMac, "int8", "int8", "int16", 2, new PeParameters { Overflow = OverflowMode.Saturate }))),
        C("int4 x uint8 -> int12 wrap", () => new IntMacPe(Spec(PeKind.IntMac, "int4", "uint8", "int12", 8))),
        C("flint4 x int4 -> int32 wrap", () => new AntMacPe(Spec(PeKind.AntMac, "flint4", "int4", "int32", 4))),
        C("uflint8 x flint8 -> int32 wrap", () => new AntMacPe(Spec(PeKind.AntMac, "uflint8", "flint8", "int32", 2))),
        C("pot4 x uflint4 -> int16 saturate", () => new AntMacPe(Spec(PeKind.AntMac, "pot4", "uflint4", "int16", 4, new PeParameters { Overflow = OverflowMode.Saturate }))),
        C("flint4 x flint4 -> int12 wrap", () => new AntMacPe(Spec(PeKind.AntMac, "flint4", "flint4", "int12", 8))),
        C("flint4 x fp16 -> fp32 per pass", () => new AntMacPe(Spec(PeKind.AntMac, "flint4", "fp16", "fp32", 1))),
        C("pot4 x fp16 -> fp32 per pass", () => new AntMacPe(Spec(PeKind.AntMac, "pot4", "fp16", "fp32", 4))),
        C("uflint8 x fp16 -> fp32 per pass", () => new AntMacPe(Spec(PeKind.AntMac, "uflint8", "fp16", "fp32", 2))),

        C("fused int8 x int8 -> int32 wrap", () => new BitFusionPe(Spec(PeKind.BitFusion, "int8", "int8", "int32", 1))),
        C("fused int4 x int8 -> int32 wrap", () => new BitFusionPe(Spec(PeKind.BitFusion, "int4", "int8", "int32", 1))),
        C("fused uint8 x int2 -> int16 saturate", () => new BitFusionPe(Spec(PeKind.BitFusion, "uint8", "int2", "int16", 2, new PeParameters { Overflow = OverflowMode.Saturate }))),
        C("fused int2 x uint2 -> int8 wrap", () => new BitFusionPe(Spec(PeKind.BitFusion, "int2", "uint2", "int8", 1))),
        C("fused int3 x uint4 -> int12 wrap", () => new BitFusionPe(Spec(PeKind.BitFusion, "int3", "uint4", "int12", 2))),
        C("fused uint6 x int5 -> int32 wrap", () => new BitFusionPe(Spec(PeKind.BitFusion, "uint6", "int5", "int32", 1))),

        C("olive4 x int4 -> int32 wrap", () => new OliveMacPe(Spec(PeKind.OliveMac, "olive4", "int4", "int32", 4))),
        C("olive4 x uint8 -> int16 saturate", () => new OliveMacPe(Spec(PeKind.OliveMac, "olive4", "uint8", "int16", 1, new PeParameters { Overflow = OverflowMode.Saturate }))),
        C("olive8 x int2 -> int32 wrap", () => new OliveMacPe(Spec(PeKind.OliveMac, "olive8", "int2", "int32", 2))),
        C("olive5 x int2 -> int12 wrap", () => new OliveMacPe(Spec(PeKind.OliveMac, "olive5", "int2", "int12", 3))),
        C("olive4 x olive4 (W4A4) -> int32 wrap", () => new OliveMacPe(Spec(PeKind.OliveMac, "olive4", "olive4", "int32", 4))),
        C("olive5 x olive4 -> int12 saturate", () => new OliveMacPe(Spec(PeKind.OliveMac, "olive5", "olive4", "int12", 3, new PeParameters { Overflow = OverflowMode.Saturate }))),
        C("olive4 x fp16 -> fp32 per pass", () => new OliveMacPe(Spec(PeKind.OliveMac, "olive4", "fp16", "fp32", 4))),
        C("olive6 x fp16 -> fp32 per pass", () => new OliveMacPe(Spec(PeKind.OliveMac, "olive6", "fp16", "fp32", 1))),

        C("w-serial int4 bpc1, a int8 -> int32", () => new BitSerialPe(Spec(PeKind.BitSerial, "int4", "int8", "int32", 4, new PeParameters { BitsPerCycle = 1 }))),
        C("w-serial int5 bpc2, a int8 -> int16 sat", () => new BitSerialPe(Spec(PeKind.BitSerial, "int5", "int8", "int16", 4, new PeParameters { BitsPerCycle = 2, Overflow = OverflowMode.Saturate }))),
        C("w-serial int8 bpc4, a uint8 -> int32", () => new BitSerialPe(Spec(PeKind.BitSerial, "int8", "uint8", "int32", 8, new PeParameters { BitsPerCycle = 4 }))),
        C("a-serial (Stripes) a int8 bpc1, w int8", () => new BitSerialPe(Spec(PeKind.BitSerial, "int8", "int8", "int32", 16, new PeParameters { BitsPerCycle = 1, SerialOperand = SerialOperand.Activations }))),
        C("w-serial int3 bpc2, a int8, g128 -> fp32", () => new BitSerialPe(Spec(PeKind.BitSerial, "int3", "int8", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }))),
        C("w-serial int6 bpc2, a fp16, g64 -> fp32", () => new BitSerialPe(Spec(PeKind.BitSerial, "int6", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 64 }))),
        C("BitMoD fp4_er_pos bpc2, a fp16, g128", () => new BitSerialPe(Spec(PeKind.BitSerial, "bitmod_fp4_er_pos", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }))),
        C("BitMoD fp4_ea_neg bpc2, a fp16, g128", () => new BitSerialPe(Spec(PeKind.BitSerial, "bitmod_fp4_ea_neg", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }))),
        C("BitMoD fp4 mixed per-group types, a fp16, g128", () => new BitSerialPe(Spec(PeKind.BitSerial, "bitmod_fp4_mixed", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }))),
        C("BitMoD fp3 mixed per-group types, a int8, g8", () => new BitSerialPe(Spec(PeKind.BitSerial, "bitmod_fp3_mixed", "int8", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 8 }))),
        C("BitMoD fp3_ea_pos bpc2, a int8, g128", () => new BitSerialPe(Spec(PeKind.BitSerial, "bitmod_fp3_ea_pos", "int8", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }))),
        C("BitMoD fp3_er_neg bpc1, a fp16, g32 -> fp16", () => new BitSerialPe(Spec(PeKind.BitSerial, "bitmod_fp3_er_neg", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 1, GroupSize = 32 }), F("fp16") as ScalarFormat)),

        C("int2 g4 exact, a int8", () => new LutPe(Spec(PeKind.Lut, "int2", "int8", "int32", 16, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Exact, GroupSize = 64 }))),
        C("uint3 g3 exact, a int8", () => new LutPe(Spec(PeKind.Lut, "uint3", "int8", "int32", 6, new PeParameters { LutGroup = 3, LutEntries = LutEntryMode.Exact, GroupSize = 0 }))),
        C("int4 g8 exact, a uint8", () => new LutPe(Spec(PeKind.Lut, "int4", "uint8", "int32", 8, new PeParameters { LutGroup = 8, LutEntries = LutEntryMode.Exact, GroupSize = 128 }))),
        C("int2 g4 int8 tables, int16 wrap, g64", () => new LutPe(Spec(PeKind.Lut, "int2", "int8", "int16", 16, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Int8, GroupSize = 64 }))),
        C("int4 g2 int8 tables, int8 sat, a fp16, g32", () => new LutPe(Spec(PeKind.Lut, "int4", "fp16", "int8", 4, new PeParameters { LutGroup = 2, LutEntries = LutEntryMode.Int8, GroupSize = 32, Overflow = OverflowMode.Saturate }))),
        C("uint4 g4 fp16 tables per_pe, a fp16, g128", () => new LutPe(Spec(PeKind.Lut, "uint4", "fp16", "fp32", 16, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Fp16, GroupSize = 128, LutPrecompute = LutPrecompute.PerPe }))),
        C("int2 g4 full tables per_pe, a int8, g64", () => new LutPe(Spec(PeKind.Lut, "int2", "int8", "int32", 8, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Exact, GroupSize = 64, LutPrecompute = LutPrecompute.PerPe, LutSymmetric = false }))),
        C("int3 g1 fp16 tables, a int8, g16", () => new LutPe(Spec(PeKind.Lut, "int3", "int8", "fp32", 4, new PeParameters { LutGroup = 1, LutEntries = LutEntryMode.Fp16, GroupSize = 16 }))),

        C("uint4 zero-point, a int8, g128", () => new ShiftAddPe(Spec(PeKind.ShiftAdd, "uint4", "int8", "fp32", 8, new PeParameters { GroupSize = 128 }))),
        C("int4, a fp16, g64", () => new ShiftAddPe(Spec(PeKind.ShiftAdd, "int4", "fp16", "fp32", 8, new PeParameters { GroupSize = 64 }))),
        C("uint8 zero-point, a fp16, g32 -> fp16", () => new ShiftAddPe(Spec(PeKind.ShiftAdd, "uint8", "fp16", "fp32", 4, new PeParameters { GroupSize = 32 }), F("fp16") as ScalarFormat)),

        C("posit8es0 quire", () => new PositMacPe(Spec(PeKind.PositMac, "posit8es0", "posit8es0", "posit8es0", 4))),
        C("posit8es2 quire -> fp32", () => new PositMacPe(Spec(PeKind.PositMac, "posit8es2", "posit8es2", "posit8es2", 4), F("fp32") as ScalarFormat)),
        C("posit16es1 quire", () => new PositMacPe(Spec(PeKind.PositMac, "posit16es1", "posit16es1", "posit16es1", 2))),
        C("posit8es1 quire", () => new PositMacPe(Spec(PeKind.PositMac, "posit8es1", "posit8es1", "posit8es1", 4))),
        C("posit8es3 wide quire", () => new PositMacPe(Spec(PeKind.PositMac, "posit8es3", "posit8es3", "posit8es3", 4))),
        C("posit16es2 wide quire", () => new PositMacPe(Spec(PeKind.PositMac, "posit16es2", "posit16es2", "posit16es2", 2))),
        C("posit32es2 512-bit quire", () => new PositMacPe(Spec(PeKind.PositMac, "posit32es2", "posit32es2", "posit32es2", 1))),
        C("posit32es0 quire", () => new PositMacPe(Spec(PeKind.PositMac, "posit32es0", "posit32es0", "posit32es0", 1))),
        C("posit32es3 quire -> fp32", () => new PositMacPe(Spec(PeKind.PositMac, "posit32es3", "posit32es3", "posit32es3", 1), F("fp32") as ScalarFormat)),
        C("posit16es1 x posit32es2 quire -> posit32es2", () => new PositMacPe(Spec(PeKind.PositMac, "posit32es2", "posit16es1", "posit32es2", 1))),
        C("posit32es2 fma per term", () => new PositMacPe(Spec(PeKind.PositMac, "posit32es2", "posit32es2", "posit32es2", 1, new PeParameters { Quire = false }))),
        C("posit8es0 fma per term", () => new PositMacPe(Spec(PeKind.PositMac, "posit8es0", "posit8es0", "posit8es0", 1, new PeParameters { Quire = false }))),
        C("posit8es1 x posit8es1 fma into posit16es1", () => new PositMacPe(Spec(PeKind.PositMac, "posit8es1", "posit8es1", "posit16es1", 1, new PeParameters { Quire = false }))),

        C("fp4e2m1 x fp4e2m1 kulisch -> fp32", () => new MinifloatMacPe(Spec(PeKind.MinifloatMac, "fp4e2m1", "fp4e2m1", "fp32", 8))),
        C("fp4e2m1 x fp8e4m3 kulisch -> fp32", () => new MinifloatMacPe(Spec(PeKind.MinifloatMac, "fp4e2m1", "fp8e4m3", "fp32", 8))),
        C("fp8e4m3 x fp8e4m3 kulisch -> fp16", () => new MinifloatMacPe(Spec(PeKind.MinifloatMac, "fp8e4m3", "fp8e4m3", "fp16", 4))),
        C("fp8e5m2 x fp8e5m2 fp32 per add", () => new MinifloatMacPe(Spec(PeKind.MinifloatMac, "fp8e5m2", "fp8e5m2", "fp32", 4, new PeParameters { Quire = false }))),
        C("fp6e2m3 x fp6e3m2 fp16 per add", () => new MinifloatMacPe(Spec(PeKind.MinifloatMac, "fp6e2m3", "fp6e3m2", "fp16", 4, new PeParameters { Quire = false }))),

        C("dual fp4e2m1 x fp4e2m1 two lanes, exact -> fp32", () => Bound("fp8_fp4_mac", "fp4e2m1", "fp4e2m1", 4)),
        C("dual fp8e4m3 x fp8e4m3, exact -> fp32", () => Bound("fp8_fp4_mac", "fp8e4m3", "fp8e4m3", 4)),
        C("dual fp8e5m2 x fp8e4m3, exact -> fp32", () => Bound("fp8_fp4_mac", "fp8e5m2", "fp8e4m3", 2)),
        C("dual fp4e2m1 x fp8e5m2 one lane, exact -> fp32", () => Bound("fp8_fp4_mac", "fp4e2m1", "fp8e5m2", 2)),

        C("mxfp4 x mxfp4", () => new MxDotPe(Spec(PeKind.MxDot, "mxfp4", "mxfp4", "fp32", 32))),
        C("mxfp8e4m3 x mxfp6e2m3", () => new MxDotPe(Spec(PeKind.MxDot, "mxfp6e2m3", "mxfp8e4m3", "fp32", 16))),
        C("mxfp8e5m2 x mxfp8e5m2", () => new MxDotPe(Spec(PeKind.MxDot, "mxfp8e5m2", "mxfp8e5m2", "fp32", 8))),
        C("mxint8 x mxfp6e3m2", () => new MxDotPe(Spec(PeKind.MxDot, "mxfp6e3m2", "mxint8", "fp32", 32))),

        C("4 x fp4e2m1 -> fp32", () => new SimdMacPe(Spec(PeKind.SimdMac, "fp4e2m1", "fp4e2m1", "fp32", 1))),
        C("4 x posit4es1", () => new SimdMacPe(Spec(PeKind.SimdMac, "posit4es1", "posit4es1", "posit4es1", 1))),
        C("2 x posit8es0", () => new SimdMacPe(Spec(PeKind.SimdMac, "posit8es0", "posit8es0", "posit8es0", 2))),
        C("1 x posit16es1", () => new SimdMacPe(Spec(PeKind.SimdMac, "posit16es1", "posit16es1", "posit16es1", 1))),
    };
}
