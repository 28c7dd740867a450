using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using Mantissa.Sim.Pe;
using Mantissa.Verification.Reference;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>fp8_fp4_mac: both fp4 lanes against the rational reference, hand-worked sums and the dual cycle rate (the
/// per-pair exhaustive and random fp8 checks run with the other configurations in PeDatapathCheckTests).</summary>
public class Fp8Fp4MacPeTests
{
    private static PeModel Pe(string w, string a, int dot, string? acc = null) =>
        PeFactory.Create(PeOptions.Bind([("kind", "fp8_fp4_mac"), ("weights", w), ("activations", a), ("dot_width", dot.ToString()),
            .. acc is null ? Array.Empty<(string, string)>() : [("accumulator", acc)]], "test"));

    [Fact]
    public void BothFp4LanesOfOneCycleMatchTheReferenceForEveryOperandQuadruple()
    {
        var pe = Pe("fp4e2m1", "fp4e2m1", 1);
        var a = new uint[2];
        var w = new uint[2];
        int n = 0;
        for (uint q = 0; q < 1 << 16; q++)
        {
            a[0] = q & 0xF; a[1] = (q >> 4) & 0xF; w[0] = (q >> 8) & 0xF; w[1] = q >> 12;
            var r = pe.Dot(a, w);
            Assert.True(r.Code == PeReference.Expected(pe, a, w, default, default), $"a=({a[0]:X},{a[1]:X}) w=({w[0]:X},{w[1]:X})");
            Assert.Equal(1, r.Cycles); // two fp4 products in one cycle on one 8-bit datapath
            n++;
        }
        Assert.Equal(65536, n);
    }

    [Fact]
    public void SumsExactProductsAndRoundsOnceToFp32()
    {
        // fp4e2m1 codes: 0x7 = 6, 0x2 = 1, 0x1 = 0.5, 0xF = -6: 6·6 + 0.5·1 + (-6)·6 + 1·0.5 = 1
        var pe = Pe("fp4e2m1", "fp4e2m1", 2);
        var r = pe.Dot(new uint[] { 0x7, 0x1, 0xF, 0x2 }, new uint[] { 0x7, 0x2, 0x7, 0x1 });
        Assert.Equal(BitConverter.SingleToUInt32Bits(1.0f), r.Code);
        Assert.Equal(1, r.Cycles);
        // fp8e4m3 0x7E = 448 (largest finite), 0x38 = 1: 448·448 - 448·448 + 1·1 = 1 exactly (a float register would lose nothing
        // here either, but the cancellation of 200704 shows no intermediate rounding).
        var e4 = Pe("fp8e4m3", "fp8e4m3", 1);
        var r8 = e4.Dot(new uint[] { 0x7E, 0xFE, 0x38 }, new uint[] { 0x7E, 0x7E, 0x38 });
        Assert.Equal(BitConverter.SingleToUInt32Bits(1.0f), r8.Code);
        Assert.Equal(3, r8.Cycles);
    }

    [Theory]
    [InlineData("fp4e2m1", "fp4e2m1", 16, 4)]  // 2 lanes × 8 datapaths: 64 MACs in 4 cycles
    [InlineData("fp8e4m3", "fp8e4m3", 8, 8)]
    [InlineData("fp8e5m2", "fp8e4m3", 8, 8)]
    [InlineData("fp4e2m1", "fp8e5m2", 8, 8)]   // a mixed pair takes the whole 8-bit datapath
    public void RunsTwoFp4MacsPerDatapathPerCycleAndOneOtherwise(string w, string a, double macsPerCycle, long cyclesFor64)
    {
        var pe = Pe(w, a, 8);
        Assert.Equal(macsPerCycle, pe.Cycles.MacsPerCycle);
        Assert.Equal(pe.Spec.Kind.Cycles(pe.Spec, pe.Spec.WeightFormat.Bits, pe.Spec.ActivationFormat.Bits), pe.Cycles);
        Assert.Equal(cyclesFor64, pe.Dot(new uint[64], new uint[64]).Cycles);
    }

    [Fact]
    public void AFloatAccumulatorIsAClearError()
    {
        // The binder rejects it at the accumulator key (the kind's AccumulatorProblem) ...
        var e = Assert.Throws<Mantissa.Arch.Config.ConfigException>(() => Pe("fp8e4m3", "fp8e4m3", 4, "fp32"));
        Assert.Contains("pe.accumulator: fp8_fp4_mac accumulates exactly in a fixed-point (Kulisch) register; use accumulator: exact, got 'fp32'", e.Message);
        // ... and a spec built without the binder is still refused by the model.
        var spec = Pe("fp8e4m3", "fp8e4m3", 4).Spec with { Accumulator = Mantissa.Arch.Numerics.NumberFormat.Parse("fp32") };
        var m = Assert.Throws<MantissaException>(() => new Fp8Fp4MacPe(spec));
        Assert.Contains("use accumulator: exact, got 'fp32'", m.Message);
    }
}
