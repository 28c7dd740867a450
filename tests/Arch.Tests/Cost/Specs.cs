using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>Architecture specs built in code for the cost-model tests.</summary>
internal static class Specs
{
    public static PeSpec Pe(PeKind kind, string w, string a, string acc, int dot = 1, PeParameters? p = null) =>
        new(kind, NumberFormat.Parse(w), NumberFormat.Parse(a), NumberFormat.Parse(acc), dot, p ?? new PeParameters());

    public static MemoryLevelSpec Sram(string name, long bytes, int width = 64, int banks = 1, SramCell cell = SramCell.Lop) =>
        new(name, MemoryKind.Sram, null, bytes, width, banks, width / 8.0, width / 8.0, TensorSet.All, false, false) { Cell = cell };

    public static MemoryLevelSpec Dram(string type = "ddr4", int width = 64) =>
        new("dram", MemoryKind.Dram, type, 0, width, 1, width / 8.0, width / 8.0, TensorSet.All, false, false);

    public static ArchitectureSpec Asic(PeSpec pe, int rows = 16, int cols = 16, double node = 45, double vdd = 0.9,
        IReadOnlyList<MemoryLevelSpec>? memory = null, IReadOnlyList<CostOverride>? overrides = null, double clockMhz = 500,
        Dataflow dataflow = Dataflow.WS) =>
        new("test", Target.Asic, new TechnologySpec(node, vdd), null, clockMhz, pe, new ArraySpec(rows, cols, dataflow),
            memory ?? new[] { Dram(), Sram("glb", 128 * 1024) }, overrides ?? Array.Empty<CostOverride>(), new SimSwitches());

    public static ArchitectureSpec Fpga(PeSpec pe, string device, int rows = 16, int cols = 16,
        IReadOnlyList<MemoryLevelSpec>? memory = null, double clockMhz = 200) =>
        new("test-fpga", Target.Fpga, null, new FpgaSpec(device), clockMhz, pe, new ArraySpec(rows, cols, Dataflow.WS),
            memory ?? new[] { Dram("hbm2", 256), Sram("glb", 256 * 1024, 128) }, Array.Empty<CostOverride>(), new SimSwitches());
}
