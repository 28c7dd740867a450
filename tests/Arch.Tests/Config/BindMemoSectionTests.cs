using Mantissa.Arch.Config;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>
/// The technology, array and sim sections a design's sets leave alone are bound once from the base and reused; a design
/// that changes one of them, or breaks it, must get its own binding and its own diagnostics.
/// </summary>
public class BindMemoSectionTests
{
    [Fact]
    public void ReusedSectionsNeverStandInForChangedOrBrokenOnes()
    {
        using var dir = new TempDir();
        var path = dir.Write("base.yaml", Valid + "sim:\n  model_fill: true\n");
        var parsed = ResolvedArchitecture.Parse(path);
        var designs = new[]
        {
            "",
            "technology.node_nm=7",
            "technology.vdd=0.7;clock_mhz=500",
            "array.dataflow=os",
            "array.dataflow=[ws, os]",
            "array.rows=32;array.weight_preload=overlapped",
            "array={rows: 4, cols: 4, dataflow: is}",
            "sim.model_fill=false",
            "sim.charge_all_pes_every_cycle=true",
            "sim=~",
            "technology.node_nm=0",                 // out of range: reported
            "array.dataflow=diagonal",              // not a dataflow: reported
            "sim.model_fill=maybe",                 // not a bool: reported
            "array.rows=8192;array.cols=4096",      // more PEs than a design may have: reported
            "clock_mhz=700",
        };
        int checkedDesigns = 0, reported = 0;
        for (int round = 0; round < 2; round++)
            foreach (var d in designs)
            {
                var sets = d.Length == 0 ? [] : d.Split(';').Select(Set).ToList();
                ConfigException? expectedError = null;
                Mantissa.Arch.Model.ArchitectureSpec? expected = null;
                try { expected = ArchitectureLoader.Load(path, sets); } catch (ConfigException e) { expectedError = e; }
                if (expectedError is not null)
                {
                    var e = Assert.Throws<ConfigException>(() => parsed.Load(sets));
                    Assert.Equal(expectedError.Diagnostics.Select(x => x.ToString()), e.Diagnostics.Select(x => x.ToString()));
                    reported++;
                    continue;
                }
                var actual = parsed.Load(sets);
                Assert.Equal(expected! with { Memory = actual.Memory, Overrides = actual.Overrides }, actual);
                Assert.Equal(expected!.Array.Open, actual.Array.Open);
                Assert.Equal(expected.Memory, actual.Memory);
                checkedDesigns++;
            }
        Assert.Equal(2 * 4, reported);
        Assert.Equal(2 * (designs.Length - 4), checkedDesigns);
        // the base's own sections, after every design above
        var plain = parsed.Load([]);
        Assert.Equal((28.0, 0.9), (plain.Technology!.NodeNm, plain.Technology.Vdd));
        Assert.Equal((16, 16, Mantissa.Arch.Model.Dataflow.WS), (plain.Array.Rows, plain.Array.Cols, plain.Array.Dataflow));
        Assert.True(plain.Switches.ModelFill);
        Assert.False(plain.Switches.ChargeAllPesEveryCycle);
    }
}
