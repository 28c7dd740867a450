using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe;

namespace Mantissa.Sim.Tests;

/// <summary>The timing path and the functional PE models count the same cycles for a dot product.</summary>
public class PeAgreementTests
{
    private static NumberFormat F(string n) => NumberFormat.Parse(n);

    public static IEnumerable<object[]> Specs() => new[]
    {
        new object[] { new PeSpec(PeKind.IntMac, F("int8"), F("int8"), F("int32"), 4, new PeParameters()) },
        new object[] { new PeSpec(PeKind.BitSerial, F("int4"), F("fp16"), F("fp32"), 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }) },
        new object[] { new PeSpec(PeKind.BitSerial, F("int6"), F("fp16"), F("fp32"), 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }) },
        new object[] { new PeSpec(PeKind.ShiftAdd, F("int4"), F("int8"), F("fp32"), 4, new PeParameters { GroupSize = 128 }) },
        new object[] { new PeSpec(PeKind.Lut, F("int2"), F("int8"), F("int32"), 8, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Exact, GroupSize = 128 }) },
        new object[] { new PeSpec(PeKind.Lut, F("int2"), F("int8"), F("int32"), 8, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Exact, GroupSize = 128, LutPrecompute = LutPrecompute.PerPe }) },
        new object[] { new PeSpec(PeKind.Lut, F("int2"), F("int8"), F("int32"), 8, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Exact, GroupSize = 0 }) },
        new object[] { new PeSpec(PeKind.Lut, F("int3"), F("fp16"), F("fp32"), 4, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Fp16, GroupSize = 0, LutPrecompute = LutPrecompute.PerPe }) },
        new object[] { new PeSpec(PeKind.ShiftAdd, F("int4"), F("int8"), F("fp32"), 4, new PeParameters { GroupSize = 0 }) },
        new object[] { new PeSpec(PeKind.BitSerial, F("int4"), F("fp16"), F("fp32"), 4, new PeParameters { BitsPerCycle = 1, GroupSize = 0 }) },
        new object[] { new PeSpec(PeKind.SimdMac, F("posit8es0"), F("posit8es0"), F("posit8es0"), 1, new PeParameters()) },
        new object[] { new PeSpec(PeKind.MxDot, F("mxfp4"), F("mxfp4"), F("fp32"), 32, new PeParameters()) },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void OneByOneArrayTakesTheFunctionalModelsCycles(PeSpec spec)
    {
        var model = PeFactory.Create(spec);
        var arch = TestArchs.Systolic(1, 1, Dataflow.OS, pe: spec, switches: new SimSwitches(ModelFill: false));
        var sim = TestArchs.Sim(arch);
        foreach (int k in new[] { 128, 256, 384 })
        {
            var scales = new uint[model.ScalesNeeded(k)];
            Array.Fill(scales, spec.Kind == PeKind.MxDot ? 127u : 0x3C00u); // 2^0 in E8M0, 1.0 in fp16
            var zeros = model.TakesZeroPoints ? new int[scales.Length] : Array.Empty<int>();
            long functional = model.Dot(new uint[k], new uint[k], scales, zeros).Cycles;
            // a 1×1 output-stationary array computes the M=N=1 GEMM as one dot product over K
            Assert.Equal(functional, sim.RunGemm(1, k, 1).ComputeCycles);
        }
    }
}
