using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Tests;

/// <summary>Weights that bypass the first on-chip level stream into their own buffer; its double buffering decides the overlap.</summary>
public class StreamOverlapTests
{
    // TPU-like: a big activation buffer (not double-buffered, holds no weights) and a small weight FIFO
    private static ArchitectureSpec Tpu(bool fifoDoubleBuffered)
    {
        var a = TestArchs.Systolic(256, 256, Dataflow.WS, dramBw: 48, glbBytes: 24L << 20, doubleBuffered: false,
            glbHolds: TensorSet.Inputs | TensorSet.Outputs);
        var fifo = new MemoryLevelSpec("weight_fifo", MemoryKind.Sram, null, 256 << 10, 2048, 1, 256, 256, TensorSet.Weights,
            fifoDoubleBuffered, false);
        return a with { Memory = a.Memory.Append(fifo).ToArray() };
    }

    [Fact]
    public void DoubleBufferedWeightFifoOverlapsTheWeightStreamWithCompute()
    {
        // 1×4096×11008 GEMV: 45.1 MB of weights at 48 B/cycle = 939 K cycles; compute 16 × 43 folds × 767 = 527,695
        var on = TestArchs.Sim(Tpu(true)).RunGemm(1, 4096, 11008);
        var off = TestArchs.Sim(Tpu(false)).RunGemm(1, 4096, 11008);
        double dram = 4096.0 * 11008 / 48;
        Assert.Equal(527_695, on.ComputeCycles);
        Assert.InRange(on.Cycles, dram, dram * 1.01);              // max(compute, DRAM)
        Assert.InRange(off.Cycles, dram + 527_695, (dram + 527_695) * 1.01); // compute + DRAM
        var closed = TestArchs.Sim(Tpu(true), new SimOptions { MaxTimelineTiles = 0 }).RunGemm(1, 4096, 11008);
        Assert.InRange(closed.Cycles, on.Cycles * 0.99, on.Cycles * 1.01);
    }
}

/// <summary>Overlapped stationary-operand preload: folds follow each other without reloading the array.</summary>
public class WeightPreloadTests
{
    [Theory]
    // 1×4096×4096 on 128×2 ws, dot 16: K passes 256 → 2 × 2048 = 4096 folds of 1 step; serial pays 2R + C − 2 = 256 per fold
    [InlineData(WeightPreload.Serial, 4096L * (1 + 256) - 1)]
    // overlapped: one step per fold plus a single fold's overhead
    [InlineData(WeightPreload.Overlapped, 4096L + 256 - 1)]
    public void FoldCyclesFollowThePreloadModel(WeightPreload preload, long expected)
    {
        var pe = new PeThroughput(16, 1);
        var e = SystolicCompute.Estimate(128, 2, Dataflow.WS, 1, 4096, 4096, pe, preload: preload);
        Assert.Equal(expected, e.Cycles);
    }

    [Fact]
    public void OverlappedPreloadDoesNotChangeOutputStationary()
    {
        var pe = new PeThroughput(1, 1);
        Assert.Equal(SystolicCompute.Estimate(32, 32, Dataflow.OS, 128, 256, 512, pe).Cycles,
            SystolicCompute.Estimate(32, 32, Dataflow.OS, 128, 256, 512, pe, preload: WeightPreload.Overlapped).Cycles);
    }

    [Fact]
    public void OverlappedGemvRunsAtTheBufferBandwidth()
    {
        // ws GEMV 1×4096×4096 int8 on 128×2 dot-16 PEs: 16 MiB of weights at 2,048 B/cycle from DRAM = 8,192 cycles
        // (FlightLLM-like: weights stream into their own double-buffered buffer)
        var a = TestArchs.Systolic(128, 2, Dataflow.WS, dramBw: 2048, glbBytes: 4 << 20, pe: TestArchs.IntMac(16),
            glbHolds: TensorSet.Inputs | TensorSet.Outputs);
        var wbuf = new MemoryLevelSpec("weight_buffer", MemoryKind.Sram, null, 512 << 10, 18432, 1, 2304, 2304, TensorSet.Weights, true, false);
        var overlapped = a with { Array = a.Array with { Preload = WeightPreload.Overlapped }, Memory = a.Memory.Append(wbuf).ToArray() };
        var r = TestArchs.Sim(overlapped).RunGemm(1, 4096, 4096);
        Assert.InRange(r.Cycles, 8192, 8192 * 1.02);
        var serial = TestArchs.Sim(overlapped with { Array = a.Array }).RunGemm(1, 4096, 4096);
        Assert.True(serial.Cycles > 4096 * 256, $"serial {serial.Cycles}");
    }
}
