using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Arch.Tests.Config;
using Inputs = Mantissa.Arch.Cost.CostMemo.ClockFreeInputs;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// The cost memo's last-design shortcut (<see cref="Inputs.SameInputs"/>): a change to any field the clock-free cost reads
/// makes a different design, a change to the name, clock or bytes per cycle does not (unless a chip: section's DRAM PHYs
/// read the bandwidth), and a design answered by the shortcut gets what a fresh costing gives.
/// </summary>
public class CostMemoLastDesignTests
{
    private static readonly string EdgeNpu = Path.Combine(RepoPaths.ArchConfigs, "sweeps", "edge-npu.yaml");
    private static readonly string TpuV1 = Path.Combine(RepoPaths.ArchConfigs, "reproductions", "tpu-v1", "tpu-v1.yaml");

    private static string[] Props(Type t) => t.GetProperties().Select(p => p.Name).Where(n => n != "EqualityContract").Order().ToArray();

    private static ArchitectureSpec WithLevel(ArchitectureSpec a, int i, Func<MemoryLevelSpec, MemoryLevelSpec> change) =>
        a with { Memory = a.Memory.Select((m, j) => j == i ? change(m) : m).ToArray() };

    // One changed copy of the base design per field, keyed by the field's name (level fields on the on-chip level).
    private static Dictionary<string, ArchitectureSpec> Changed(ArchitectureSpec a)
    {
        var tpu = ArchitectureLoader.Load(TpuV1);
        return new()
        {
            ["Name"] = a with { Name = "renamed" },
            ["Target"] = a with { Target = Target.Fpga },
            ["Technology"] = a with { Technology = new TechnologySpec(16, 0.8) },
            ["Fpga"] = a with { Fpga = new FpgaSpec("u280") },
            ["ClockMhz"] = a with { ClockMhz = a.ClockMhz * 2 },
            ["Pe"] = a with { Pe = a.Pe with { DotWidth = a.Pe.DotWidth + 1 } },
            ["Array"] = a with { Array = a.Array with { Rows = a.Array.Rows / 2 } },
            ["Memory"] = a with { Memory = a.Memory.Take(1).ToArray() },
            ["Overrides"] = a with { Overrides = [new CostOverride("pe.area_um2", 123, "test")] },
            ["Switches"] = a with { Switches = new SimSwitches(ChargeAllPesEveryCycle: true) },
            ["SourceFile"] = a with { SourceFile = "elsewhere.yaml" },
            ["Chip"] = a with { Chip = tpu.Chip },
            ["PeCount"] = a with { Array = a.Array with { Cols = a.Array.Cols * 2 } },
        };
    }

    private static Dictionary<string, ArchitectureSpec> ChangedLevel(ArchitectureSpec a) => new()
    {
        ["Name"] = WithLevel(a, 1, m => m with { Name = "buffer" }),
        ["Kind"] = WithLevel(a, 1, m => m with { Kind = MemoryKind.Dram }),
        ["DramType"] = WithLevel(a, 0, m => m with { DramType = "hbm2" }),
        ["CapacityBytes"] = WithLevel(a, 1, m => m with { CapacityBytes = m.CapacityBytes * 2 }),
        ["WidthBits"] = WithLevel(a, 1, m => m with { WidthBits = m.WidthBits * 2 }),
        ["Banks"] = WithLevel(a, 1, m => m with { Banks = m.Banks + 1 }),
        ["ReadBytesPerCycle"] = WithLevel(a, 0, m => m with { ReadBytesPerCycle = m.ReadBytesPerCycle * 2 }),
        ["WriteBytesPerCycle"] = WithLevel(a, 0, m => m with { WriteBytesPerCycle = m.WriteBytesPerCycle * 2 }),
        ["Holds"] = WithLevel(a, 1, m => m with { Holds = TensorSet.Weights }),
        ["DoubleBuffered"] = WithLevel(a, 1, m => m with { DoubleBuffered = !m.DoubleBuffered }),
        ["PerPe"] = WithLevel(a, 1, m => m with { PerPe = !m.PerPe }),
        ["Cell"] = WithLevel(a, 1, m => m with { Cell = SramCell.Hp }),
        ["Mapping"] = WithLevel(a, 1, m => m with { Mapping = new LevelMappingSpec(null, 16, null, null, "test") }),
        ["MayBypass"] = WithLevel(a, 1, m => m with { MayBypass = TensorSet.Inputs }),
    };

    [Fact]
    public void EveryFieldOfADesignAndOfItsLevelsIsComparedOrListedAsUnread()
    {
        Assert.Equal(Props(typeof(ArchitectureSpec)), Inputs.ComparedArchitecture.Concat(Inputs.UnreadArchitecture).Order().ToArray());
        Assert.Equal(Props(typeof(MemoryLevelSpec)), Inputs.ComparedLevel.Concat(Inputs.UnreadLevel).Order().ToArray());
        // and this test changes each of them
        var a = ArchitectureLoader.Load(EdgeNpu);
        Assert.Equal(Props(typeof(ArchitectureSpec)), Changed(a).Keys.Order().ToArray());
        Assert.Equal(Props(typeof(MemoryLevelSpec)), ChangedLevel(a).Keys.Order().ToArray());
    }

    [Fact]
    public void AChangeToAComparedFieldIsANewDesignAndOnlyUnreadFieldsKeepTheLastOne()
    {
        var a = ArchitectureLoader.Load(EdgeNpu);
        foreach (var (field, b) in Changed(a))
        {
            Assert.NotEqual(a, b);
            Assert.True(Inputs.SameInputs(a, b) == Inputs.UnreadArchitecture.Contains(field), field);
            Assert.Equal(Inputs.SameInputs(a, b), new Inputs(a).Equals(new Inputs(b))); // the shortcut agrees with the key
            Assert.Equal(Inputs.SameInputs(a, b), new Inputs(a).Matches(b)); // and so does the lookup by design
            Assert.Equal(new Inputs(b).GetHashCode(), Inputs.HashOf(b));
        }
        foreach (var (field, b) in ChangedLevel(a))
        {
            Assert.True(Inputs.SameInputs(a, b) == Inputs.UnreadLevel.Contains(field), "memory." + field);
            Assert.Equal(Inputs.SameInputs(a, b), new Inputs(a).Equals(new Inputs(b)));
            Assert.Equal(Inputs.SameInputs(a, b), new Inputs(a).Matches(b));
            Assert.Equal(new Inputs(b).GetHashCode(), Inputs.HashOf(b));
        }
        // with a chip: section the DRAM PHYs are sized from the bandwidth in GB/s: bytes per cycle at the same clock are read
        var tpu = ArchitectureLoader.Load(TpuV1);
        Assert.False(Inputs.SameInputs(tpu, WithLevel(tpu, 0, m => m with { ReadBytesPerCycle = m.ReadBytesPerCycle * 2 })));
        Assert.True(Inputs.SameInputs(tpu, tpu with { Name = "renamed" }));
        Assert.False(new Inputs(tpu).Matches(WithLevel(tpu, 0, m => m with { ReadBytesPerCycle = m.ReadBytesPerCycle * 2 })));
        Assert.True(new Inputs(tpu).Matches(tpu with { Name = "renamed" }));
        Assert.Equal(new Inputs(tpu).GetHashCode(), Inputs.HashOf(tpu));
    }

    [Fact]
    public void ConsecutiveDesignsGetWhatAFreshCostingGivesAndTheSameCostObjectAtTheSameClock()
    {
        var memo = new CostMemo();
        var a = ArchitectureLoader.Load(EdgeNpu);
        var first = memo.Evaluate(a);
        var otherBandwidth = WithLevel(a, 0, m => m with { ReadBytesPerCycle = 7, WriteBytesPerCycle = 7 });
        Assert.Same(first, memo.Evaluate(otherBandwidth)); // the cost reads no bytes per cycle: shared whole
        // the FPGA target is costed by another model, without the memo
        var designs = Changed(a).Where(c => c.Key != "Target").Select(c => c.Value).Concat(ChangedLevel(a).Values);
        foreach (var b in designs.Append(a with { ClockMhz = 350 }).Append(a))
        {
            ArchCost fresh;
            try
            {
                fresh = CostModel.Evaluate(b);
            }
            catch (Exception e)
            {
                Assert.Equal(e.GetType(), Record.Exception(() => memo.Evaluate(b))?.GetType()); // rejected the same way; nothing is kept
                continue;
            }
            var memoised = memo.Evaluate(b);
            Assert.Equal(fresh.AreaMm2, memoised.AreaMm2);
            Assert.Equal(fresh.AlwaysOnMw, memoised.AlwaysOnMw);
            Assert.Equal(fresh.Levels, memoised.Levels);
            Assert.Equal(fresh.EnergyTable, memoised.EnergyTable);
            Assert.Equal(fresh.AreaBreakdown, memoised.AreaBreakdown);
        }
        Assert.NotSame(first, memo.Evaluate(a with { ClockMhz = 350 }));
    }
}
