using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;

namespace Mantissa.Sim.Tests;

/// <summary>
/// The shared key of the mapping cache (<see cref="MapperInputs.Shared"/>) and its in-place comparison
/// (<see cref="MapperInputs.SharesWith"/>, which answers the consecutive points of a sweep): every field of the DRAM level
/// and of its cost is either compared or listed as re-scored by a front, and a change to a compared one is another front.
/// </summary>
public class MapperInputsSharedKeyTests
{
    private static string[] Props(Type t) => t.GetProperties().Select(p => p.Name).Where(n => n != "EqualityContract").Order().ToArray();

    private static ArchitectureSpec Arch() => TestArchs.Systolic(16, 16, Dataflow.WS, dramBw: 8, glbBytes: 96 << 10, glbBw: 64);

    private static MapperInputs Key(ArchitectureSpec a, ArchCost c) => new(a, c, new SimOptions(), PeThroughput.For(a.Pe));

    private static ArchitectureSpec WithLevel(ArchitectureSpec a, int i, Func<MemoryLevelSpec, MemoryLevelSpec> change) =>
        a with { Memory = a.Memory.Select((m, j) => j == i ? change(m) : m).ToArray() };

    // One changed copy of the DRAM level per field, keyed by the field's name.
    private static Dictionary<string, ArchitectureSpec> ChangedDram(ArchitectureSpec a) => new()
    {
        ["Name"] = WithLevel(a, 0, m => m with { Name = "offchip" }),
        ["Kind"] = WithLevel(a, 0, m => m with { Kind = MemoryKind.Sram }),
        ["DramType"] = WithLevel(a, 0, m => m with { DramType = "hbm2" }),
        ["CapacityBytes"] = WithLevel(a, 0, m => m with { CapacityBytes = 1L << 30 }),
        ["WidthBits"] = WithLevel(a, 0, m => m with { WidthBits = m.WidthBits * 2 }),
        ["Banks"] = WithLevel(a, 0, m => m with { Banks = m.Banks + 1 }),
        ["ReadBytesPerCycle"] = WithLevel(a, 0, m => m with { ReadBytesPerCycle = m.ReadBytesPerCycle * 2 }),
        ["WriteBytesPerCycle"] = WithLevel(a, 0, m => m with { WriteBytesPerCycle = m.WriteBytesPerCycle * 2 }),
        ["Holds"] = WithLevel(a, 0, m => m with { Holds = TensorSet.Weights }),
        ["DoubleBuffered"] = WithLevel(a, 0, m => m with { DoubleBuffered = !m.DoubleBuffered }),
        ["PerPe"] = WithLevel(a, 0, m => m with { PerPe = !m.PerPe }),
        ["Cell"] = WithLevel(a, 0, m => m with { Cell = SramCell.Hp }),
        ["Mapping"] = WithLevel(a, 0, m => m with { Mapping = new LevelMappingSpec(null, 16, null, null, "test") }),
        ["MayBypass"] = WithLevel(a, 0, m => m with { MayBypass = TensorSet.Inputs }),
    };

    private static Dictionary<string, ArchCost> ChangedDramCost(ArchCost c)
    {
        ArchCost With(Func<LevelCost, LevelCost> change) => c with { Levels = c.Levels.Select((l, i) => i == 0 ? change(l) : l).ToArray() };
        return new()
        {
            ["Name"] = With(l => l with { Name = "offchip" }),
            ["ReadEnergyPjPerWord"] = With(l => l with { ReadEnergyPjPerWord = 7 }),
            ["WriteEnergyPjPerWord"] = With(l => l with { WriteEnergyPjPerWord = 7 }),
            ["LeakageMw"] = With(l => l with { LeakageMw = 7 }),
            ["AreaMm2"] = With(l => l with { AreaMm2 = 7 }),
        };
    }

    [Fact]
    public void EveryFieldOfTheDramLevelAndItsCostIsComparedOrListedAsRescored()
    {
        Assert.Equal(Props(typeof(MemoryLevelSpec)), MapperInputs.ComparedDramLevel.Concat(MapperInputs.RescoredDramLevel).Order().ToArray());
        Assert.Equal(Props(typeof(LevelCost)), MapperInputs.RescoredDramCost.Append("Name").Order().ToArray());
        Assert.Equal(Props(typeof(MemoryLevelSpec)), ChangedDram(Arch()).Keys.Order().ToArray());
        Assert.Equal(Props(typeof(LevelCost)), ChangedDramCost(TestArchs.Cost(Arch())).Keys.Order().ToArray());
    }

    [Fact]
    public void ACompareChangeIsAnotherFrontAndARescoredOneSharesItComparedInPlaceOrByKey()
    {
        var a = Arch();
        var cost = TestArchs.Cost(a);
        var shared = Key(a, cost).Shared;
        Assert.True(Key(a, cost).SharesWith(shared));
        Assert.False(shared.SharesWith(shared)); // only a design's full inputs compare with a shared key
        foreach (var (field, b) in ChangedDram(a))
        {
            var k = Key(b, TestArchs.Cost(b));
            bool rescored = MapperInputs.RescoredDramLevel.Contains(field);
            Assert.NotEqual(Key(a, cost), k);
            Assert.True(rescored == k.SharesWith(shared), "memory[0]." + field);
            Assert.True(rescored == k.Shared.Equals(shared), "memory[0]." + field);
            if (rescored) Assert.Equal(shared.GetHashCode(), k.Shared.GetHashCode());
        }
        foreach (var (field, c) in ChangedDramCost(cost))
        {
            var k = Key(a, c);
            bool rescored = MapperInputs.RescoredDramCost.Contains(field);
            Assert.NotEqual(Key(a, cost), k);
            Assert.True(rescored == k.SharesWith(shared), "cost.levels[0]." + field);
            Assert.True(rescored == k.Shared.Equals(shared), "cost.levels[0]." + field);
        }
        // an on-chip level's bandwidth is not re-scored: another front
        var glb = WithLevel(a, 1, m => m with { ReadBytesPerCycle = 32 });
        Assert.False(Key(glb, cost).SharesWith(shared));
        Assert.NotEqual(shared, Key(glb, cost).Shared);
    }
}
