using System.Text.Json;

namespace Mantissa.Explorer.Tests;

/// <summary><c>simulate --mapping FILE</c>: a complete mapping is evaluated as given, a partial one constrains the search, a bad one is a positioned error.</summary>
public class SimulateMappingOptionTests
{
    private static string Repo(params string[] parts) => Path.Combine([SweepBundledTests.RepoRoot(), .. parts]);

    private static string Tpu => Repo("arch-configs", "tpu-int8.yaml");

    [Fact]
    public void TheBundledFixedMappingIsTheNestPrinted()
    {
        var (code, output, err) = CliTests.Run("simulate", Tpu, "--gemm", "256,1024,1024",
            "--mapping", Repo("arch-configs", "mappings", "tpu-int8-gemm-fixed.yaml"), "--show-mapping", "gemm");
        Assert.True(code == 0, err);
        string nest = output[output.IndexOf("Mapping of gemm:\n", StringComparison.Ordinal)..];
        Assert.StartsWith("""
            Mapping of gemm:
            dram [tile M=256 K=1024 N=1024]
            | for m in [0:2) step 128
              unified_buffer [tile M=128 K=1024 N=1024]
              | for n in [0:2) step 512
                | for k in [0:2) step 512
                  accumulators [tile M=128 K=512 N=512]
                  | for k in [0:2) step 256
                    | for n in [0:2) step 256
                      weight_fifo [tile M=128 K=256 N=256]
                      | stream m in [0:128) step 1
                        array ws [fold M=1 K=256 N=256]
            """.ReplaceLineEndings("\n"), nest);
        // each half of the rows reads all the weights again: 256·1024 inputs + 2 × 1024·1024 weights + 256·1024 outputs
        Assert.Contains("bounds: DRAM 2,621,440 B = 1.667x the compulsory 1,572,864 B", nest);
    }

    [Fact]
    public void APartialMappingIsSearchedWithinAndRecordedInTheJson()
    {
        string file = Repo("arch-configs", "mappings", "tpu-int8-output-stationary-dram.yaml");
        var (code, output, err) = CliTests.Run("simulate", Tpu, "--gemm", "512,1024,1024", "--mapping", file, "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(file, doc.RootElement.GetProperty("mapping").GetString());
        var (_, free, _) = CliTests.Run("simulate", Tpu, "--gemm", "512,1024,1024", "--json");
        using var freeDoc = JsonDocument.Parse(free);
        // the constraint can only cost: the free search found the best mapping of a larger space
        Assert.True(doc.RootElement.GetProperty("cycles").GetDouble() >= freeDoc.RootElement.GetProperty("cycles").GetDouble());
    }

    [Fact]
    public void AnUnknownLevelIsAPositionedErrorWithTheLevelsListed()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mantissa-mapping-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string file = Path.Combine(dir, "m.yaml");
            File.WriteAllText(file, "mapping:\n  unified_bufer:\n    tile: {m: 128}\n");
            var (code, _, err) = CliTests.Run("simulate", Tpu, "--gemm", "256,1024,1024", "--mapping", file);
            Assert.Equal(1, code);
            Assert.Contains($"{file}:2:3: mapping.unified_bufer: unknown memory level 'unified_bufer'; did you mean 'unified_buffer'? " +
                            "(levels of 'tpu-int8': dram, weight_fifo, unified_buffer, accumulators, pe_weight)", err);
        }
        finally { Directory.Delete(dir, true); }
    }
}
