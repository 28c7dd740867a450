using Mantissa.Arch.Model;

namespace Mantissa.Sim.Tests;

/// <summary>Element-wise operators keep their operands on chip when they fit, and share one DRAM bus otherwise.</summary>
public class VectorOpTests
{
    private static readonly SimOperator Relu = new("relu", Mantissa.Workloads.OpKind.Activation, null, 1 << 20, 2 << 20, 2 << 20);

    [Fact]
    public void AnOperatorThatFitsOnChipNeverTouchesDram()
    {
        // 4 MiB in + out fit an 8 MiB buffer read and written at 1,024 B/cycle: 2,048 cycles; compute 2^20/32 = 32,768
        var arch = TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 16, glbBytes: 8 << 20, glbBw: 1024);
        var r = TestArchs.Sim(arch).RunOperators(new[] { Relu });
        Assert.Equal(0, r.Traffic[0].ReadBytes + r.Traffic[0].WriteBytes);
        Assert.Equal(2 << 20, r.Traffic[1].ReadBytes);
        Assert.Equal(32_768, r.Cycles);
    }

    [Fact]
    public void AnOperatorTooBigForTheBufferReadsAndWritesDramOnOneBus()
    {
        // 4 MiB do not fit 1 MiB: 2 MiB read + 2 MiB written at 16 B/cycle on one bus = 262,144 cycles
        var arch = TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 16, glbBytes: 1 << 20, glbBw: 1024);
        var r = TestArchs.Sim(arch).RunOperators(new[] { Relu });
        Assert.Equal(2 << 20, r.Traffic[0].ReadBytes);
        Assert.Equal(262_144, r.Cycles);
    }

    [Fact]
    public void TheKvCacheIsWrittenToDramEvenWhenItFits()
    {
        var arch = TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 16, glbBytes: 8 << 20, glbBw: 1024);
        var r = TestArchs.Sim(arch).RunOperators(new[] { Relu with { Name = "k_cache", Kind = Mantissa.Workloads.OpKind.KvAppend } });
        Assert.Equal(2 << 20, r.Traffic[0].WriteBytes);
    }

    [Theory]
    // 2^20 ops on a 128×2 array: 2^20/2 = 524,288 cycles through the columns; a vector unit of L lanes takes 2^20/L
    [InlineData(null, 524_288)]
    [InlineData(2, 524_288)]
    [InlineData(128, 8_192)]
    [InlineData(1000, 1_049)] // ceil(1,048,576 / 1,000)
    public void AVectorUnitTimesOperatorsByItsLanes(int? lanes, long cycles)
    {
        // an on-chip buffer wide enough (1 MiB/cycle) that moving the operands never decides the time
        var a = TestArchs.Systolic(128, 2, Dataflow.WS, dramBw: 16, glbBytes: 8 << 20, glbBw: 1 << 20);
        var arch = a with { Array = a.Array with { VectorLanes = lanes } };
        var r = TestArchs.Sim(arch).RunOperators(new[] { Relu });
        Assert.Equal(cycles, r.Cycles);
        Assert.Equal(cycles, r.Layers[0].ComputeCycles);
    }

    [Fact]
    public void AVectorUnitStillWaitsForItsOperandsInDram()
    {
        // 4 MiB through a 16 B/cycle DRAM bus (262,144 cycles) outlast 2^20/128 = 8,192 cycles on 128 lanes
        var a = TestArchs.Systolic(128, 2, Dataflow.WS, dramBw: 16, glbBytes: 1 << 20, glbBw: 1024);
        var r = TestArchs.Sim(a with { Array = a.Array with { VectorLanes = 128 } }).RunOperators(new[] { Relu });
        Assert.Equal(262_144, r.Cycles);
    }
}
