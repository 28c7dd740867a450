using Mantissa.Arch.Model;

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
