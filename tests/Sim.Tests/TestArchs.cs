using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Sim.Tests;

/// <summary>Architectures and costs built in code for the simulator tests.</summary>
internal static class TestArchs
{
    public static PeSpec IntMac(int dp = 1) => new(PeKind.IntMac, NumberFormat.Parse("int8"), NumberFormat.Parse("int8"),
        NumberFormat.Parse("int32"), dp, new PeParameters());

    public static PeSpec FpMac() => new(PeKind.FpMac, NumberFormat.Parse("fp16"), NumberFormat.Parse("fp16"),
        NumberFormat.Parse("fp32"), 1, new PeParameters());

    /// <summary>DRAM + one global buffer. Bandwidths in bytes/cycle; capacity 0 = unbounded.</summary>
    public static ArchitectureSpec Systolic(int rows, int cols, Dataflow df, double dramBw = 1e9, long glbBytes = 1L << 40,
        double glbBw = 1e9, bool doubleBuffered = true, PeSpec? pe = null, SimSwitches? switches = null,
        TensorSet glbHolds = TensorSet.All) =>
        new("test", Target.Asic, new TechnologySpec(28, 0.9), null, 1000, pe ?? IntMac(), new ArraySpec(rows, cols, df),
            new[]
            {
                new MemoryLevelSpec("dram", MemoryKind.Dram, "ddr4", 0, 64, 1, dramBw, dramBw, TensorSet.All, false, false),
                new MemoryLevelSpec("glb", MemoryKind.Sram, null, glbBytes, 32, 1, glbBw, glbBw, glbHolds, doubleBuffered, false),
            },
            Array.Empty<CostOverride>(), switches ?? new SimSwitches());

    public static ArchCost Cost(ArchitectureSpec arch, double dramPjPerWord = 100, double leakMw = 10) =>
        new(0.5, 0.05,
            arch.Memory.Select(m => m.Kind == MemoryKind.Dram
                ? new LevelCost(m.Name, dramPjPerWord, dramPjPerWord * 1.2, 0, 0)
                : new LevelCost(m.Name, 2.0, 2.5, 1, 0.5)).ToArray(),
            leakMw, 1.25, Array.Empty<ActionEnergy>(), Array.Empty<AreaItem>());

    public static Simulator Sim(ArchitectureSpec arch, SimOptions? o = null) => new(arch, Cost(arch), o);
}
