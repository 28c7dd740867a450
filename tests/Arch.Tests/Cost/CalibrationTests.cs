using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// Model predictions against published points. Horowitz is reproduced exactly (see ComponentLibraryTests); the others are
/// whole-PE or whole-chip figures the composed model does not reach exactly, so each test asserts the measured ratio
/// model/published inside a stated band and says where the gap comes from.
/// </summary>
public class CalibrationTests
{
    private static CostReport At28(PeSpec pe, int rows = 1, int cols = 1, IReadOnlyList<MemoryLevelSpec>? mem = null) =>
        AsicCostModel.Report(Specs.Asic(pe, rows, cols, node: 28, vdd: 0.9, memory: mem ?? new[] { Specs.Dram() }));

    // Datapath energy without the inter-PE wires (the published PE figures are for the PE alone).
    private static double PeOnlyPj(CostReport r) =>
        r.Cost.PeEnergyPerActiveCyclePj - r.Cost.EnergyTable.Single(e => e.Component == "pe.forward_wires").EnergyPj;

    [Fact]
    public void BitModFp16BaselinePe()
    {
        // BitMoD simulator (28 nm): FP16 MAC PE 0.77 pJ/cycle, 1968.7 um2.
        var r = At28(Specs.Pe(PeKind.FpMac, "fp16", "fp16", "fp32"));
        // Area: FP16 multiply + FP32 add from Horowitz, scaled 45 -> 28 nm: within 25%.
        Assert.InRange(r.PeAreaUm2 / 1968.7, 0.8, 1.25);
        // Energy: 1.2-1.6x higher. Horowitz's FP32 adder (0.9 pJ at 45 nm) dominates; the published PE probably
        // accumulates at lower precision or with a lighter adder (the paper's PE detail is unverified).
        Assert.InRange(PeOnlyPj(r) / 0.77, 1.2, 1.6);
    }

    [Fact]
    public void BitModBitSerialPe()
    {
        // BitMoD simulator (28 nm): 4-lane bit-serial PE, 2 weight bits/cycle, FP16 activations: 0.56 pJ/cycle, 1507.7 um2,
        // in a 32x32 array whose 32 PEs per column share the once-per-group dequantizer.
        var r = At28(Specs.Pe(PeKind.BitSerial, "int4", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }), 32, 32);
        // Area 0.73x: exact fp16 lanes, fixed-point group sum, shared dequantizer (the published PE's internals are not public).
        Assert.Equal(0.73, r.PeAreaUm2 / 1507.7, 2);
        // Energy 1.35x: the library's per-cycle energy runs high on this paper's PEs (FP16 PE below: 1.48x); the 2x11 digit
        // multipliers have two partial-product rows, a third of an 8x8's energy per bit (MultiplierDepth).
        Assert.Equal(1.35, PeOnlyPj(r) / 0.56, 2);
        // Both BitMoD orderings hold: per cycle and per MAC, the bit-serial PE beats the FP16 MAC (0.56 vs 0.77 pJ/cycle).
        var fp16 = At28(Specs.Pe(PeKind.FpMac, "fp16", "fp16", "fp32"), 32, 24);
        Assert.True(PeOnlyPj(r) < PeOnlyPj(fp16));
        Assert.True(r.PeAreaUm2 < fp16.PeAreaUm2);
    }

    [Fact]
    public void BitFusionFixedPrecisionPes()
    {
        // Bit Fusion systolic_array_synth.csv (45 nm, 500 MHz): 8b PE 688 um2 / 0.344 pJ; 4b 282 um2 / 0.136 pJ.
        // The PE's accumulator width is not published; 2n+8 bits is assumed. Area within 0.6-1.1x, energy 1.1-1.8x
        // (Aladdin-derived register energy per bit is the main excess).
        foreach (var (n, um2, pj) in new[] { (8, 688.0, 0.344), (4, 282.0, 0.136) })
        {
            var r = AsicCostModel.Report(Specs.Asic(Specs.Pe(PeKind.IntMac, $"int{n}", $"int{n}", $"int{2 * n + 8}"), 1, 1, 45, 0.9,
                new[] { Specs.Dram() }));
            Assert.InRange(r.PeAreaUm2 / um2, 0.6, 1.1);
            Assert.InRange(PeOnlyPj(r) / pj, 1.1, 1.8);
        }
    }

    [Theory]
    // NVDLA Primer, 28 nm synthesis including memories (INT8 MACs, convolution buffer KB, mm2).
    [InlineData(2048, 512, 5.5)]
    [InlineData(1024, 256, 3.0)]
    [InlineData(512, 256, 2.3)]
    [InlineData(256, 256, 1.7)]
    [InlineData(128, 256, 1.4)]
    [InlineData(64, 128, 0.91)]
    [InlineData(32, 128, 0.85)]
    public void NvdlaAreaTable(int macs, int cbufKb, double mm2)
    {
        int k = macs >= 256 ? 64 : 8;
        var r = At28(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32", k), macs / k, 1,
            new[] { Specs.Dram("ddr4", 64), Specs.Sram("cbuf", cbufKb * 1024L, 512, 16) });
        // Documented gap: the model covers the MAC array and the convolution buffer only, 25-50% of NVDLA's area; the rest is
        // NVDLA's DMA, sequencers, accumulator assembly buffers and SDP/PDP/CDP post-processing, which Mantissa does not model.
        Assert.InRange(r.Cost.AreaMm2 / mm2, 0.2, 0.55);
    }

    [Fact]
    public void NvdlaModelGrowsWithTheConfiguration()
    {
        double A(int macs, int kb) => At28(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32", 64), macs / 64, 1,
            new[] { Specs.Dram("ddr4", 64), Specs.Sram("cbuf", kb * 1024L, 512, 16) }).Cost.AreaMm2;
        Assert.True(A(2048, 512) > A(1024, 256));
        Assert.True(A(1024, 256) > A(512, 256));
        Assert.True(A(512, 256) > A(256, 256));
    }

    [Fact]
    public void XrNpePe()
    {
        // XR-NPE (arXiv 2508.13049) at 28 nm: 0.016 mm2 for the FP4/posit4/8/16 SIMD MAC engine.
        var r = At28(Specs.Pe(PeKind.SimdMac, "posit16es1", "posit16es1", "fp32"));
        // Documented gap: one 16-bit lane of the model is ~6x smaller. The published area is the whole engine (RMMEC,
        // power-gating, format control, interfaces); the lane count and accumulator are not published.
        Assert.InRange(r.PeAreaUm2 * 1e-6 / 0.016, 0.1, 0.3);
    }
}
