using Mantissa.Arch.Model;

namespace Mantissa.Sim.Tests;

public class TimingTests
{
    [Fact]
    public void MemoryBoundDecodeRunsAtDramBandwidth()
    {
        // 1×4096×4096 int8 GEMV: 16 MiB of weights at 32 B/cycle = 524,288 cycles; compute is 139,199 cycles
        var arch = TestArchs.Systolic(128, 128, Dataflow.OS, dramBw: 32, glbBytes: 1 << 20);
        var r = TestArchs.Sim(arch).RunGemm(1, 4096, 4096);
        double expected = 4096.0 * 4096 / 32;
        Assert.InRange(r.Cycles, expected, expected * 1.05);
        Assert.Equal(Mantissa.Sim.Results.Bound.Memory, r.Layers[0].Bound);
        Assert.True(r.StallCycles > 0);
    }

    [Fact]
    public void ComputeBoundGemmRunsAtArrayThroughputPlusFill()
    {
        // 1024×1024×1024 on 32×32 os: MACs/PEs = 1,048,576 cycles; fill+drain = 1024 folds × (32+32−2) = 63,488
        var arch = TestArchs.Systolic(32, 32, Dataflow.OS, dramBw: 64, glbBytes: 4 << 20);
        var r = TestArchs.Sim(arch).RunGemm(1024, 1024, 1024);
        double expected = 1024.0 * 1024 * 1024 / 1024 + 1024 * 62;
        Assert.InRange(r.Cycles, expected, expected * 1.05);
        Assert.Equal(Mantissa.Sim.Results.Bound.Compute, r.Layers[0].Bound);
    }

    [Fact]
    public void SingleBufferingSerializesLoadsAndCompute()
    {
        var db = TestArchs.Sim(TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 16, glbBytes: 256 << 10)).RunGemm(512, 2048, 2048);
        var sb = TestArchs.Sim(TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 16, glbBytes: 256 << 10, doubleBuffered: false)).RunGemm(512, 2048, 2048);
        Assert.True(sb.Cycles > db.Cycles * 1.2, $"single {sb.Cycles} vs double {db.Cycles}");
        Assert.Equal(db.ComputeCycles, sb.ComputeCycles);
    }

    [Fact]
    public void SameInputsGiveIdenticalMetrics()
    {
        var a = TestArchs.Sim(TestArchs.Systolic(16, 8, Dataflow.IS, dramBw: 8, glbBytes: 64 << 10)).RunGemm(300, 500, 700).Metrics();
        var b = TestArchs.Sim(TestArchs.Systolic(16, 8, Dataflow.IS, dramBw: 8, glbBytes: 64 << 10)).RunGemm(300, 500, 700).Metrics();
        Assert.Equal(a.Reported(), b.Reported());
    }
}

public class TimelineClosedFormTests
{
    [Theory]
    [InlineData(Dataflow.WS, 1L, 4096L, 4096L, true)]
    [InlineData(Dataflow.OS, 512L, 2048L, 2048L, true)]
    [InlineData(Dataflow.IS, 300L, 1000L, 700L, false)]
    public void TileRecurrenceAndClosedFormAgree(Dataflow df, long m, long k, long n, bool db)
    {
        var arch = TestArchs.Systolic(32, 32, df, dramBw: 24, glbBytes: 256 << 10, doubleBuffered: db);
        var events = TestArchs.Sim(arch).RunGemm(m, k, n);
        var closed = TestArchs.Sim(arch, new SimOptions { MaxTimelineTiles = 0 }).RunGemm(m, k, n);
        Assert.InRange(closed.Cycles, events.Cycles * 0.95, events.Cycles * 1.05);
        Assert.Equal(events.Traffic[0].Reads, closed.Traffic[0].Reads);
    }
}
