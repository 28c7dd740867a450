using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>A 16×16 INT8 ASIC at 28 nm and 1 GHz with one DRAM level and a chip: section declaring only its DRAM interface.</summary>
internal static class ChipDramSpecs
{
    public static readonly ChipSpec DramOnly = new(false, 0, 0, 0, PcieGeneration.Gen4, true, false, false, FittedArea: false);

    /// <summary>A DRAM level of <paramref name="bytes"/> (0: no capacity) at <paramref name="gbPerS"/> GB/s (B/cycle at 1 GHz).</summary>
    public static MemoryLevelSpec Dram(string type, long bytes, double gbPerS = 34) =>
        new("dram", MemoryKind.Dram, type, bytes, 64, 1, gbPerS, gbPerS, TensorSet.All, false, false);

    public static CostReport Report(ChipSpec chip, MemoryLevelSpec dram) =>
        AsicCostModel.Report(Specs.Asic(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32"), 16, 16, 28, 0.9,
            [dram, Specs.Sram("glb", 1 << 17)], clockMhz: 1000) with { Chip = chip });
}
