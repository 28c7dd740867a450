using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Arch.Tests.Config;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// The clock-free cost path keeps, per thread, the last PE rows, wire text and memory levels it priced: a design costed
/// right after others (warm) gets exactly what it gets on a thread that has costed nothing (cold), rows, sources and all.
/// </summary>
public class CostPathCacheTests
{
    private static readonly string EdgeNpu = Path.Combine(RepoPaths.ArchConfigs, "sweeps", "edge-npu.yaml");

    private static ArchitectureSpec WithBuffer(ArchitectureSpec a, Func<MemoryLevelSpec, MemoryLevelSpec> change) =>
        a with { Memory = a.Memory.Select((m, j) => j == 1 ? change(m) : m).ToArray() };

    // Designs that share some of what the caches key on and differ in the rest.
    private static List<ArchitectureSpec> Designs()
    {
        var a = ArchitectureLoader.Load(EdgeNpu);
        return
        [
            a,
            a with { Array = a.Array with { Cols = 64 } },                         // same PE rows and levels, other PE count
            a with { Name = "renamed", ClockMhz = 500 },
            WithBuffer(a, m => m with { Name = "buffer", ReadBytesPerCycle = 3 }), // the same level under another name
            WithBuffer(a, m => m with { Cell = SramCell.Hp }),
            WithBuffer(a, m => m with { WidthBits = 128 }),
            WithBuffer(a, m => m with { CapacityBytes = 64L << 20 }),           // larger banks: a longer H-tree
            a with { Technology = new TechnologySpec(16, 0.8) },
            a with { Array = a.Array with { Rows = 8 } },                          // another datapath (rows share LUTs)
            a with { Overrides = [new CostOverride("memory.global_buffer.read_pj", 12, "test")] },
            a,
        ];
    }

    private static List<(ArchCost Cost, string Report)> Cost(IEnumerable<ArchitectureSpec> designs) =>
        designs.Select(d => (AsicCostModel.Evaluate(d), Text(AsicCostModel.Report(d, CalibrationFactors.Applied)))).ToList();

    private static string Text(CostReport r) =>
        string.Join("\n", r.Cost.EnergyTable.Select(e => $"{e.Component} {e.Action} {e.EnergyPj:R} {e.Source}")
            .Concat(r.Cost.AreaBreakdown.Select(x => $"{x.Component} {x.Count} {x.AreaMm2:R} {x.Source}")));

    [Fact]
    public void ADesignCostedAfterOthersGetsWhatAColdThreadGives()
    {
        var designs = Designs();
        var warm = Cost(designs);
        for (int i = 0; i < designs.Count; i++)
        {
            List<(ArchCost, string)>? cold = null;
            var design = designs[i];
            var t = new Thread(() => cold = Cost([design]));
            t.Start(); t.Join();
            var (coldCost, coldText) = cold![0];
            var (warmCost, warmText) = warm[i];
            Assert.Equal(coldCost.EnergyTable, warmCost.EnergyTable);
            Assert.Equal(coldCost.AreaBreakdown, warmCost.AreaBreakdown);
            Assert.Equal(coldCost.Levels, warmCost.Levels);
            Assert.Equal(coldCost.AreaMm2, warmCost.AreaMm2);
            Assert.Equal(coldCost.LeakageMw, warmCost.LeakageMw);
            Assert.Equal(coldText, warmText); // and the calibrated report's rows, whose sources differ
        }
        // the caches do tell these designs apart
        Assert.NotEqual(warm[0].Cost.AreaMm2, warm[1].Cost.AreaMm2);
        Assert.NotEqual(warm[0].Cost.LeakageMw, warm[4].Cost.LeakageMw);
        // banks beyond the largest CACTI array carry the word over an H-tree as long as a bank's side
        string BufferRead(ArchCost c) => c.EnergyTable.Single(e => e.Component == "global_buffer" && e.Action == "read_512b").Source;
        Assert.Contains("H-tree", BufferRead(warm[6].Cost), StringComparison.Ordinal);
        Assert.NotEqual(BufferRead(warm[0].Cost), BufferRead(warm[6].Cost));
        Assert.Contains(warm[9].Cost.EnergyTable, e => e.Source.StartsWith("override:", StringComparison.Ordinal));
    }

    [Fact]
    public void AMemoryLevelUnderAnotherNameCostsTheSameAndAnotherCellDoesNot()
    {
        var lib = MemoryLibrary.Default;
        var level = ArchitectureLoader.Load(EdgeNpu).Memory[1];
        var hp = level with { Cell = SramCell.Hp };
        var first = lib.Evaluate(level, 28, 0.9);
        Assert.Equal(first, lib.Evaluate(level with { Name = "other", ReadBytesPerCycle = 1 }, 28, 0.9));
        Assert.NotEqual(first.LeakageMw, lib.Evaluate(hp, 28, 0.9).LeakageMw);
        Assert.NotEqual(first.ReadPjPerWord, lib.Evaluate(level, 16, 0.8).ReadPjPerWord);
        Assert.Equal(first, lib.Evaluate(level, 28, 0.9));
        // a level the model rejects is rejected every time, whatever was costed before
        var bad = level with { Kind = MemoryKind.Dram, DramType = null };
        Assert.Throws<MantissaException>(() => lib.Evaluate(bad, 28, 0.9));
        Assert.Throws<MantissaException>(() => lib.Evaluate(bad, 28, 0.9));
    }
}
