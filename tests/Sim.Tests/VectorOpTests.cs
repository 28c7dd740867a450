using Mantissa.Arch.Model;
using Mantissa.Sim.Results;

namespace Mantissa.Sim.Tests;

/// <summary>Element-wise operators read and write on chip the operands fusion keeps there, and share one DRAM bus otherwise.</summary>
public class VectorOpTests
{
    private static readonly SimOperator Relu = new("relu", Mantissa.Workloads.OpKind.Activation, null, 1 << 20, 2 << 20, 2 << 20)
    {
        Uses = new[] { new TensorUse("x", 2 << 20, false), new TensorUse("y", 2 << 20, true) },
    };

    // relu between a producer of x and a consumer of y, both fused with it when the buffer holds them
    private static SimResult Between(Simulator sim, SimOperator op)
    {
        var before = Relu with { Name = "before", Uses = new[] { new TensorUse("w", 2 << 20, false), new TensorUse("x", 2 << 20, true) } };
        var after = Relu with { Name = "after", Uses = new[] { new TensorUse("y", 2 << 20, false), new TensorUse("z", 2 << 20, true) } };
        return sim.RunOperators(new[] { before, op, after },
            new[] { new Fusion.FusibleTensor("x", 2 << 20, 0, 1), new Fusion.FusibleTensor("y", 2 << 20, 1, 2) });
    }

    [Fact]
    public void AnOperatorWhoseOperandsStayOnChipNeverTouchesDram()
    {
        // x and y (2 MiB each) fit an 8 MiB buffer read and written at 1,024 B/cycle: 2,048 cycles; compute 2^20/32 = 32,768
        var arch = TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 16, glbBytes: 8 << 20, glbBw: 1024);
        var r = Between(TestArchs.Sim(arch), Relu).Layers[1];
        Assert.Equal(0, r.Traffic[0].ReadBytes + r.Traffic[0].WriteBytes);
        Assert.Equal(2 << 20, r.Traffic[1].ReadBytes);
        Assert.Equal(32_768, r.Cycles);
    }

    [Fact]
    public void Layer_by_layer_the_same_operator_goes_through_DRAM()
    {
        // fusion off: 2 MiB read + 2 MiB written at 16 B/cycle on one bus = 262,144 cycles
        var arch = TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 16, glbBytes: 8 << 20, glbBw: 1024);
        var r = Between(TestArchs.Sim(arch, new SimOptions { Fusion = false }), Relu).Layers[1];
        Assert.Equal(4 << 20, r.Traffic[0].ReadBytes + r.Traffic[0].WriteBytes);
        Assert.Equal(262_144, r.Cycles);
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
        var r = Between(TestArchs.Sim(arch), Relu).Layers[1];
        Assert.Equal(cycles, r.Cycles);
        Assert.Equal(cycles, r.ComputeCycles);
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
