using Mantissa.Arch.Config;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>
/// What a design point's binding remembers across points (set paths trimmed and split once, a level's path by its name,
/// sections looked up without a closure) changes nothing it reports: the same sets, asked again and again through one
/// resolved base, give the diagnostics and designs of a first load, messages included.
/// </summary>
public class RepeatedBindingTests
{
    [Fact]
    public void RepeatedSetsReportAndBindAsTheFirstTime()
    {
        using var dir = new TempDir();
        var path = dir.Write("base.yaml", Valid);
        var parsed = ResolvedArchitecture.Parse(path);
        var designs = new[]
        {
            " clock_mhz =700",                          // a path with white space around it
            "clock_mhz=0",                              // out of range: its expectation is spelled in the message
            "clock_mhz=fast",                           // not a number
            "memory.dram.bandwidth_gbps=12.8",
            "memory.dram.bandwidth_gbps={a: 1}",        // not a scalar
            "memory.dram.bandwidth_gbps=~",             // a required key removed
            "memory.dram.type=ddr9",                    // not a DRAM type: the names are listed
            "memory.dram.kind=flash",                   // not a kind
            "memory.buf.width_bits=-1",                 // an integer out of range
            "memory.buf.banks=two",
            "target=fpgaa",                             // a near miss of a choice
            "array.dataflow=[ws, xs]",
            "memory.nope.banks=2",                      // no such level: the items are listed
            "clock_mhz.x=1",                            // cannot go into a scalar
            "",
        };
        int reported = 0;
        for (int round = 0; round < 3; round++)
            foreach (var d in designs)
            {
                var sets = d.Length == 0 ? [] : d.Split(';').Select(Set).ToList();
                ConfigException? first = null;
                Mantissa.Arch.Model.ArchitectureSpec? expected = null;
                try { expected = ArchitectureLoader.Load(path, sets); } catch (ConfigException e) { first = e; }
                if (first is null)
                {
                    var actual = parsed.Load(sets);
                    Assert.Equal(expected! with { Memory = actual.Memory, Overrides = actual.Overrides }, actual);
                    Assert.Equal(expected.Memory, actual.Memory);
                    continue;
                }
                var again = Assert.Throws<ConfigException>(() => parsed.Load(sets));
                Assert.Equal(first.Diagnostics.Select(x => x.ToString()), again.Diagnostics.Select(x => x.ToString()));
                reported++;
            }
        Assert.Equal(3 * 12, reported);
    }

    [Fact]
    public void ALevelsPathNamesItWhenItsNameIsUsable()
    {
        using var dir = new TempDir();
        var path = dir.Write("base.yaml", Valid);
        var parsed = ResolvedArchitecture.Parse(path);
        for (int round = 0; round < 2; round++)
        {
            var named = Assert.Throws<ConfigException>(() => parsed.Load([Set("memory.1.banks=0")]));
            Assert.Contains(named.Diagnostics, d => d.KeyPath == "memory.buf.banks");
            // a name that is not a usable path segment: the level is named by its index
            var indexed = Assert.Throws<ConfigException>(() => parsed.Load([Set("memory.1.name=9x"), Set("memory.1.banks=0")]));
            Assert.Contains(indexed.Diagnostics, d => d.KeyPath == "memory.1.banks");
            Assert.Contains(indexed.Diagnostics, d => d.KeyPath == "memory.1.name");
        }
    }
}
