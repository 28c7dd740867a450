namespace Mantissa.Explorer.Tests;

/// <summary><c>mantissa calibrate --points FILE</c>: the same fit over another point set.</summary>
public class CalibratePointsTests
{
    private static string BundledPoints()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sim.sln"))) return Path.Combine(dir.FullName, "src", "Arch", "Data", "pe_calibration.csv");
        throw new InvalidOperationException("Sim.sln not found");
    }

    [Fact]
    public void TheBundledFileGivesTheBundledFitAndARowMovedIntoTheFitChangesIt()
    {
        string text = File.ReadAllText(BundledPoints());
        string file = Path.Combine(Path.GetTempPath(), $"pe_points_{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(file, text);
            var (code, same, err) = CliTests.Run("calibrate", "--points", file);
            Assert.True(code == 0, err);
            Assert.Equal(CliTests.Run("calibrate").stdout, same);
            // Eyeriss's intmac back in the fit (the data set before it was moved out): 23 fitted values, its energy 61% low.
            string eyeriss = text.Split('\n').Single(l => l.StartsWith("eyeriss_intmac,"));
            File.WriteAllText(file, text.Replace(eyeriss, eyeriss.Replace(",no,\"not a synthesized PE", ",yes,\"not a synthesized PE")));
            var (code2, moved, err2) = CliTests.Run("calibrate", "--points", file);
            Assert.True(code2 == 0, err2);
            Assert.Contains("23 fitted rows of 34", moved);
            Assert.Matches(@"eyeriss_intmac\s+energy pJ/cycle\s+yes\s+2\.2\s+1\.17\s+0\.8926\s+-59\.4%\s+-60\.6%", moved);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void AMissingOrMalformedFileIsAClearError()
    {
        var (code, _, err) = CliTests.Run("calibrate", "--points", "/nonexistent/points.csv");
        Assert.NotEqual(0, code);
        Assert.Contains("--points: cannot read '/nonexistent/points.csv'", err);
        string file = Path.Combine(Path.GetTempPath(), $"pe_points_{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(file, "point,pe,baseline,node_nm,vdd,rows,area_um2,energy_pj,area_ratio,energy_ratio,source,assumptions,fit,known_gap\n" +
                                    "x,kind=int_mac;weights=int8;activations=int8,,45,0.9,1,100,,,,src,,no,\n");
            var (c, _, e) = CliTests.Run("calibrate", "--points", file);
            Assert.NotEqual(0, c);
            Assert.Contains("line 2, column known_gap", e);
        }
        finally { File.Delete(file); }
    }
}
