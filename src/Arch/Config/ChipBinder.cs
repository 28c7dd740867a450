using Mantissa.Arch.Model;

namespace Mantissa.Arch.Config;

/// <summary>Validates the <c>chip:</c> section (whole-chip components) and builds the <see cref="ChipSpec"/>.</summary>
internal static class ChipBinder
{
    private static readonly long[] PcieWidths = [0, 1, 2, 4, 8, 16, 32];

    private static readonly (string, PcieGeneration)[] Generations =
        [("3", PcieGeneration.Gen3), ("4", PcieGeneration.Gen4), ("5", PcieGeneration.Gen5)];

    public static ChipSpec? Bind(SectionReader r)
    {
        int errors = r.Bag.Count;
        bool control = r.Bool("control") ?? false;
        var dma = r.Integer("dma_engines", false, 0, 64) ?? 0;
        var lanes = r.Integer("post_processing_lanes", false, 0, 65536) ?? 0;
        var pcie = r.Integer("pcie_lanes", false, 0, 32) ?? 0;
        if (!PcieWidths.Contains(pcie))
        {
            r.ValueError("pcie_lanes", $"expected one of 0, 1, 2, 4, 8, 16, 32 (a PCIe link width), got {pcie}");
            pcie = 0;
        }
        PcieGeneration gen = PcieGeneration.Gen4;
        if (pcie > 0)
        {
            if (r.Choice("pcie_gen", true, Generations) is { } g) gen = g;
        }
        else if (r.Has("pcie_gen")) r.KeyError("pcie_gen", "'pcie_gen' needs 'pcie_lanes' > 0 (the host link's width)");
        var spec = new ChipSpec(control, (int)dma, (int)lanes, (int)pcie, gen,
            r.Bool("dram_phy") ?? false, r.Bool("interconnect") ?? false, r.Bool("clock_tree") ?? false,
            r.Bool("fitted_area") ?? true);
        return r.Bag.Count > errors ? null : spec;
    }
}
