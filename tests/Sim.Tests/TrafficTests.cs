using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

public class TrafficTests
{
    [Fact]
    public void HandComputedTrafficOfASmallMapping()
    {
        // 2×2 os array, GEMM 4×6×8 with int8 operands and int8 output, GLB tile M=2 K=6 N=4.
        // DRAM loop order N, M, K over GLB tiles: 2 N-tiles, 2 M-tiles, K not split.
        //  Left (M,K): innermost relevant loop is M, N sits outside it → re-read per N tile: 2·24 = 48 B → 6 DRAM words (64 b)
        //  Right (K,N): innermost relevant loop is N (outermost), M is inside → read once: 48 B → 6 words
        //  Output (M,N): K not split above the GLB → written once: 32 B → 4 words
        // GLB → array (os folds: M by 2 rows, N by 2 cols, K streamed), per GLB tile (2,6,4):
        //  Left M·K·⌈N/C⌉ = 2·6·2 = 24, Right K·N·⌈M/R⌉ = 6·4·1 = 24, four tiles → 96 B each → 24 GLB words (32 b)
        //  GLB writes: fills 48 + 48 B → 12 + 12 words, outputs from the array 32 B → 8 words; output drain read 8 words
        var arch = TestArchs.Systolic(2, 2, Dataflow.OS);
        var p = new GemmProblem(1, 4, 6, 8, 8, 8, 8, 32);
        var map = new GemmMapping(new[]
        {
            new LevelTile(0, "dram", 4, 6, 8, new[] { Dim.N, Dim.M, Dim.K }),
            new LevelTile(1, "glb", 2, 6, 4, SystolicCompute.FoldOrder(Dataflow.OS)),
        }, 2, 1, 2, Dataflow.OS);
        var t = TrafficModel.Compute(arch, p, map);
        Assert.Equal(new long[] { 6, 6, 0 }, t[0].ReadWords);
        Assert.Equal(new long[] { 0, 0, 4 }, t[0].WriteWords);
        Assert.Equal(new long[] { 24, 24, 8 }, t[1].ReadWords);
        Assert.Equal(new long[] { 12, 12, 8 }, t[1].WriteWords);
    }

    [Fact]
    public void SplittingKAboveTheBufferSendsPartialSumsToDram()
    {
        // ws 2×2, GEMM 4×8×4, GLB tile M=2 K=4 with K outside M at DRAM: each output element is visited twice:
        // one partial (int32) update and one final (int8) write = 16·4 + 16·1 = 80 B; one partial read back = 64 B.
        var arch = TestArchs.Systolic(2, 2, Dataflow.WS);
        var p = new GemmProblem(1, 4, 8, 4, 8, 8, 8, 32);
        var map = new GemmMapping(new[]
        {
            new LevelTile(0, "dram", 4, 8, 4, new[] { Dim.K, Dim.M, Dim.N }),
            new LevelTile(1, "glb", 2, 4, 4, SystolicCompute.FoldOrder(Dataflow.WS)),
        }, 1, 2, 2, Dataflow.WS);
        var t = TrafficModel.Compute(arch, p, map);
        Assert.Equal(80, t[0].WriteBytes);
        // Left and Right are read once each (32 B), plus the partial sums read back

        Assert.Equal(32 + 32 + 64, t[0].ReadBytes);
    }

    [Fact]
    public void OutputsStayResidentWhenOnlyKIsSplit()
    {
        // same problem, GLB tile M=4 K=4 N=4: no loop indexing the output is inside the K loop, so the
        // output tile stays in the GLB across both K tiles and reaches DRAM once (16 B)
        var arch = TestArchs.Systolic(2, 2, Dataflow.WS);
        var p = new GemmProblem(1, 4, 8, 4, 8, 8, 8, 32);
        var map = new GemmMapping(new[]
        {
            new LevelTile(0, "dram", 4, 8, 4, new[] { Dim.K, Dim.M, Dim.N }),
            new LevelTile(1, "glb", 4, 4, 4, SystolicCompute.FoldOrder(Dataflow.WS)),
        }, 1, 2, 2, Dataflow.WS);
        var t = TrafficModel.Compute(arch, p, map);
        Assert.Equal(16, t[0].WriteBytes);
        Assert.Equal(64, t[0].ReadBytes);
    }

    [Theory]
    [InlineData(Dataflow.OS, 4096L)]
    [InlineData(Dataflow.WS, 65536L)]
    [InlineData(Dataflow.IS, 20000L)]
    public void MapperRespectsCapacity(Dataflow df, long capacity)
    {
        foreach (bool db in new[] { true, false })
        {
            var arch = TestArchs.Systolic(16, 16, df, dramBw: 16, glbBytes: capacity, doubleBuffered: db);
            var sim = TestArchs.Sim(arch);
            foreach (var (m, k, n) in new[] { (512L, 768L, 1024L), (1L, 4096L, 4096L), (77L, 300L, 129L) })
            {
                var p = sim.DefaultProblem(1, m, k, n);
                var glb = sim.MapGemm(p).Levels[1];
                double bytes = Mapper.TileBytes(arch.Memory[1], p, glb.M, glb.K, glb.N);
                Assert.True(bytes <= (db ? capacity / 2.0 : capacity), $"{df} db={db} {m}x{k}x{n}: tile {glb} needs {bytes} B");
                Assert.True(bytes > 0);
            }
        }
    }

    [Fact]
    public void TooSmallABufferIsAClearError()
    {
        // 4 bytes, double-buffered: not even a 1×1×1 tile (1 + 1 + 4 bytes) fits in one half
        var arch = TestArchs.Systolic(64, 64, Dataflow.OS, glbBytes: 4);
        var e = Assert.Throws<Mantissa.Arch.MantissaException>(() => TestArchs.Sim(arch).RunGemm(512, 512, 512));
        Assert.Contains("memory level 'glb'", e.Message);
        Assert.Contains("smallest tile", e.Message);
    }

    [Fact]
    public void BuffersSmallerThanOneFoldStillMap()
    {
        // 64×64 os with int32 outputs: one fold's output tile is 16 KiB, the buffer half 8 KiB → tiles below the fold
        var arch = TestArchs.Systolic(64, 64, Dataflow.OS, glbBytes: 16 << 10);
        var sim = TestArchs.Sim(arch);
        var p = sim.DefaultProblem(1, 256, 256, 256);
        var glb = sim.MapGemm(p).Levels[1];
        Assert.True(Mapper.TileBytes(arch.Memory[1], p, glb.M, glb.K, glb.N) <= 8 << 10);
        Assert.True(glb.M * glb.N < 64 * 64);
    }

    [Fact]
    public void SmallerBuffersNeverReduceDramTraffic()
    {
        double prev = 0;
        foreach (long cap in new[] { 1L << 24, 1L << 20, 1L << 17, 1L << 15 })
        {
            var r = TestArchs.Sim(TestArchs.Systolic(16, 16, Dataflow.WS, glbBytes: cap), new SimOptions { Objective = MappingObjective.Energy })
                .RunGemm(512, 1024, 1024);
            double dram = r.Traffic[0].ReadBytes + r.Traffic[0].WriteBytes;
            Assert.True(dram >= prev - 1e-6, $"capacity {cap}: {dram} < {prev}");
            prev = dram;
        }
        // with 16 MiB everything fits: each tensor crosses DRAM exactly once
        Assert.True(prev > 512 * 1024 + 1024 * 1024 + 512 * 1024);
    }
}
