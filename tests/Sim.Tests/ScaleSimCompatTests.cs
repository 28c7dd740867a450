using Mantissa.Arch.Model;

namespace Mantissa.Sim.Tests;

/// <summary>
/// Compute cycles against SCALE-Sim v2's model (scalesim/compute/systolic_compute_{os,ws,is}.py):
/// os: folds ⌈M/R⌉·⌈N/C⌉, per fold K + R + C − 2; ws: folds ⌈K/R⌉·⌈N/C⌉, per fold 2R + C + M − 2;
/// is: folds ⌈K/R⌉·⌈M/C⌉, per fold 2R + C + N − 2; "Total Cycles" = folds·per_fold − 1.
/// Memories are unbounded and infinitely fast, so SCALE-Sim's CALC mode (no stalls) applies.
/// </summary>
public class ScaleSimCompatTests
{
    [Theory]
    // os 32×32, 128×256×512: folds 4·16 = 64, per fold 256+32+32−2 = 318, 64·318−1 = 20351
    [InlineData(32, 32, Dataflow.OS, 128, 256, 512, 20351)]
    // ws 32×32: folds ⌈256/32⌉·⌈512/32⌉ = 8·16 = 128, per fold 64+32+128−2 = 222, 128·222−1 = 28415
    [InlineData(32, 32, Dataflow.WS, 128, 256, 512, 28415)]
    // is 32×32: folds ⌈256/32⌉·⌈128/32⌉ = 8·4 = 32, per fold 64+32+512−2 = 606, 32·606−1 = 19391
    [InlineData(32, 32, Dataflow.IS, 128, 256, 512, 19391)]
    // os 8×8, 10×5×3: folds ⌈10/8⌉·⌈3/8⌉ = 2, per fold 5+8+8−2 = 19, 2·19−1 = 37
    [InlineData(8, 8, Dataflow.OS, 10, 5, 3, 37)]
    // ws 8×8, 10×5×3: folds 1·1 = 1, per fold 16+8+10−2 = 32, 32−1 = 31
    [InlineData(8, 8, Dataflow.WS, 10, 5, 3, 31)]
    // is 8×8, 10×5×3: folds ⌈5/8⌉·⌈10/8⌉ = 2, per fold 16+8+3−2 = 25, 2·25−1 = 49
    [InlineData(8, 8, Dataflow.IS, 10, 5, 3, 49)]
    // os 16×4, 64×100×10: folds ⌈64/16⌉·⌈10/4⌉ = 4·3 = 12, per fold 100+16+4−2 = 118, 12·118−1 = 1415
    [InlineData(16, 4, Dataflow.OS, 64, 100, 10, 1415)]
    // ws 16×4, 64×100×10: folds ⌈100/16⌉·⌈10/4⌉ = 7·3 = 21, per fold 32+4+64−2 = 98, 21·98−1 = 2057
    [InlineData(16, 4, Dataflow.WS, 64, 100, 10, 2057)]
    // is 16×4, 64×100×10: folds ⌈100/16⌉·⌈64/4⌉ = 7·16 = 112, per fold 32+4+10−2 = 44, 112·44−1 = 4927
    [InlineData(16, 4, Dataflow.IS, 64, 100, 10, 4927)]
    // ws 128×128 decode GEMV 1×4096×4096: folds 32·32 = 1024, per fold 256+128+1−2 = 383, 1024·383−1 = 392191
    [InlineData(128, 128, Dataflow.WS, 1, 4096, 4096, 392191)]
    // os 128×128 decode GEMV: folds ⌈1/128⌉·⌈4096/128⌉ = 32, per fold 4096+128+128−2 = 4350, 32·4350−1 = 139199
    [InlineData(128, 128, Dataflow.OS, 1, 4096, 4096, 139199)]
    // is 4×16, 7×9×33: folds ⌈9/4⌉·⌈7/16⌉ = 3, per fold 8+16+33−2 = 55, 3·55−1 = 164
    [InlineData(4, 16, Dataflow.IS, 7, 9, 33, 164)]
    // ws 32×32 exact fit 32×32×32: one fold, 64+32+32−2 = 126, 126−1 = 125
    [InlineData(32, 32, Dataflow.WS, 32, 32, 32, 125)]
    public void ComputeCyclesMatchScaleSim(int rows, int cols, Dataflow df, long m, long k, long n, long expected)
    {
        var r = TestArchs.Sim(TestArchs.Systolic(rows, cols, df)).RunGemm(m, k, n);
        Assert.Equal(expected, r.ComputeCycles);
        Assert.Equal(expected, r.Metrics()[Mantissa.Sim.Results.Metric.ComputeCycles]);
    }

    [Fact]
    public void WithoutScaleSimCountingTheOffByOneGoes()
    {
        var r = TestArchs.Sim(TestArchs.Systolic(32, 32, Dataflow.OS), new SimOptions { ScaleSimCounting = false }).RunGemm(128, 256, 512);
        Assert.Equal(20352, r.ComputeCycles);
    }

    [Fact]
    public void ModelFillOffCountsOnlyStreamedSteps()
    {
        // BitMoD/MixPE accounting: folds × streamed steps, no fill or drain: 64 folds × 256 steps
        var arch = TestArchs.Systolic(32, 32, Dataflow.OS, switches: new SimSwitches(ModelFill: false));
        Assert.Equal(64 * 256, TestArchs.Sim(arch).RunGemm(128, 256, 512).ComputeCycles);
    }

    [Fact]
    public void SramReadCountsMatchScaleSimForOneBufferTile()
    {
        // SCALE-Sim SRAM reads, os: ifmap M·K·⌈N/C⌉, filter K·N·⌈M/R⌉ (1-byte words there; 4-byte words here)
        var r = TestArchs.Sim(TestArchs.Systolic(32, 32, Dataflow.OS)).RunGemm(128, 256, 512);
        var glb = r.Traffic[1];
        Assert.Equal(128L * 256 * 16 / 4, glb.ReadWords[0]);
        Assert.Equal(256L * 512 * 4 / 4, glb.ReadWords[1]);
    }
}
