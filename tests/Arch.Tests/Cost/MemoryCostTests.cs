using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

public class MemoryCostTests
{
    private static readonly MemoryLibrary M = MemoryLibrary.Default;

    [Theory]
    // CACTI 45 nm itrs-hp, 32-bit port (bitfusion cacti_sweep.csv): characterized points come back exactly at 45 nm / 1.0 V.
    [InlineData(128, 0.68, 0.93, 0.0015, 0.25)]
    // The 512 B run with one read and one write port (planaria.code's copy of the sweep: read 0.947547e-3 nJ, write
    // 2.0125e-3 nJ, 0.00441968 mm2, 0.911568 mW); until 3 Dec 2026 the file held the run with an added read-write port.
    [InlineData(512, 0.95, 2.01, 0.0044, 0.91)]
    [InlineData(1024, 1.13, 3.30, 0.0088, 1.79)]
    [InlineData(2048, 1.90, 3.64, 0.0151, 3.23)]
    [InlineData(4096, 3.43, 4.31, 0.0301, 7.30)]
    [InlineData(8192, 6.39, 5.56, 0.0575, 13.7)]
    [InlineData(16384, 9.98, 8.42, 0.1086, 27.1)]
    public void CactiPointsAreReproduced(long bytes, double read, double write, double area, double leak)
    {
        var c = M.Evaluate(Specs.Sram("s", bytes, 32, cell: SramCell.Hp), 45, 1.0);
        Assert.Equal(read, c.ReadPjPerWord, 9);
        Assert.Equal(write, c.WritePjPerWord, 9);
        Assert.Equal(area, c.AreaMm2, 9);
        Assert.Equal(leak, c.LeakageMw, 9);
    }

    [Fact]
    public void LargerAndWiderSramsCostMorePerAccessButLessPerBit()
    {
        double prev = 0;
        foreach (long kb in new long[] { 1, 4, 16, 64, 256, 1024 })
        {
            double e = M.Evaluate(Specs.Sram("s", kb * 1024, 64), 28, 0.9).ReadPjPerWord;
            Assert.True(e > prev, $"{kb} KB");
            prev = e;
        }
        // The width exponent is fitted from the 28 nm 512-bit CACTI points: wide ports amortize decode (0 < beta < 1).
        Assert.InRange(M.WidthExponent, 0.6, 0.95);
        var narrow = M.Evaluate(Specs.Sram("s", 8192, 32), 28, 0.9);
        var wide = M.Evaluate(Specs.Sram("s", 8192, 512), 28, 0.9);
        Assert.True(wide.ReadPjPerWord / 512 < narrow.ReadPjPerWord / 32);
        // The 28 nm 8 KB x 512b point (0.035 pJ/bit) is matched within 35%: the 4 KB and 8 KB points imply exponents 0.89 and
        // 0.69 and the model uses their mean for every capacity.
        Assert.InRange(wide.ReadPjPerWord / 512, 0.035 * 0.65, 0.035 * 1.35);
    }

    [Fact]
    public void BankingSplitsCapacity()
    {
        var one = M.Evaluate(Specs.Sram("s", 256 * 1024, 64, 1), 28, 0.9);
        var eight = M.Evaluate(Specs.Sram("s", 256 * 1024, 64, 8), 28, 0.9);
        Assert.True(eight.ReadPjPerWord < one.ReadPjPerWord);
    }

    [Theory]
    [InlineData("hbm2", 3.9)]
    [InlineData("hbm2e", 6.0)]
    [InlineData("hbm3", 4.05)]
    [InlineData("ddr4", 18.75)]
    [InlineData("ddr5", 15)]
    [InlineData("lpddr4", 8)]
    [InlineData("lpddr5", 5)]
    [InlineData("gddr6", 7.5)]
    public void DramEnergyIsPjPerBitTimesWidth(string type, double pjPerBit)
    {
        var c = M.Evaluate(Specs.Dram(type, 256), 28, 0.9);
        Assert.Equal(pjPerBit * 256, c.ReadPjPerWord, 9);
        Assert.Equal(pjPerBit * 256, c.WritePjPerWord, 9);
        Assert.Equal(0, c.AreaMm2);
    }

    [Fact]
    public void UnknownDramTypeNamesTheKnownOnes()
    {
        var ex = Assert.Throws<MantissaException>(() => M.Evaluate(Specs.Dram("ddr9"), 28, 0.9));
        Assert.Contains("ddr9", ex.Message);
        Assert.Contains("hbm2e", ex.Message);
    }

    [Fact]
    public void RegisterFileMatchesTheEyerissScratchpadPoints()
    {
        // Accelergy Eyeriss ERT at 40 nm: 12 x 16b spad read 0.146 pJ; 192 x 16b read 0.82 pJ and 3635 um2.
        var small = M.Evaluate(new MemoryLevelSpec("rf", MemoryKind.RegFile, null, 24, 16, 1, 2, 2, TensorSet.Weights, false, true), 40, 1.0);
        var big = M.Evaluate(new MemoryLevelSpec("rf", MemoryKind.RegFile, null, 384, 16, 1, 2, 2, TensorSet.Weights, false, true), 40, 1.0);
        Assert.Equal(0.146, small.ReadPjPerWord, 9);
        Assert.Equal(0.82, big.ReadPjPerWord, 9);
        Assert.Equal(0.003635, big.AreaMm2, 9);
    }
}
