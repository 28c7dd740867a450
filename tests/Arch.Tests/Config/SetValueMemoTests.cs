using Mantissa.Arch.Config;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>A YAML set value parsed once per resolved base is shared between designs but never changed by one of them.</summary>
public class SetValueMemoTests
{
    private const string Pe = "pe={kind: int_mac, weights: int8, activations: int8, accumulator: int32}";
    private const string Memory = "memory=[{name: dram, kind: dram, type: ddr4, bandwidth_gbps: 25.6}, " +
                                  "{name: buf, kind: sram, capacity_kib: 64, width_bits: 128, holds: [weights, inputs, outputs]}]";

    [Fact]
    public void DesignsSettingTheSameTextAndThenGoingIntoItResolveToTheirOwnDesigns()
    {
        using var dir = new TempDir();
        var path = dir.Write("base.yaml", Valid);
        var parsed = ResolvedArchitecture.Parse(path);
        // the same pe and memory texts in every design; some go into the value they set (pe.weights, memory.buf.*),
        // which would change the shared parse for the designs after them if it were not copied first
        var designs = new[]
        {
            $"{Pe};array.rows=8",
            $"{Pe};pe.weights=int4;array.rows=32",
            $"{Pe};array.rows=32",
            $"{Memory};memory.buf.capacity_kib=32;memory.1.width_bits=256",
            $"{Memory};memory.dram.bandwidth_gbps=51.2",
            $"{Memory};array.cols=8",
            $"{Pe};{Memory};pe.activations=int4;memory.buf.holds=[weights]",
            $"{Pe};{Memory}",
        };
        for (int round = 0; round < 2; round++)
            foreach (var d in designs)
            {
                var sets = d.Split(';').Select(Set).ToList();
                var expected = ArchitectureLoader.Load(path, sets);
                var actual = parsed.Load(sets);
                Assert.Equal(expected with { Memory = actual.Memory, Overrides = actual.Overrides }, actual);
                Assert.Equal(expected.Memory, actual.Memory);
            }
        var plain = parsed.Load([Set(Pe), Set(Memory)]);
        Assert.Equal("int8", plain.Pe.WeightFormat.Name);
        Assert.Equal("int8", plain.Pe.ActivationFormat.Name);
        Assert.Equal(2, plain.Memory.Count);
        Assert.Equal(64 * 1024, plain.Memory[1].CapacityBytes);
        Assert.Equal(128, plain.Memory[1].WidthBits);
        Assert.Equal(16, parsed.Load([Set(Pe)]).Array.Rows);
    }

    [Fact]
    public void AValueIsParsedOnceAndCopiedBeforeALaterSetChangesIt()
    {
        var memo = new SetValueMemo();
        ConfigMap Tree(params string[] sets)
        {
            var bag = new DiagnosticBag();
            var root = (ConfigMap)YamlTreeReader.Parse(Valid, "t.yaml", bag)!;
            SetPathApplier.Apply(root, sets.Select(Set).ToList(), bag, memo);
            Assert.False(bag.HasErrors);
            return root;
        }
        var first = Tree(Pe, "array.rows=8");
        var second = Tree(Pe, "array.rows=32");
        Assert.Same(first.Get("pe"), second.Get("pe")); // parsed once, shared
        var changed = Tree(Pe, "pe.weights=int4");
        Assert.NotSame(first.Get("pe"), changed.Get("pe"));
        Assert.Equal("int4", ((ConfigScalar)((ConfigMap)changed.Get("pe")!).Get("weights")!).Text);
        Assert.Equal("int8", ((ConfigScalar)((ConfigMap)first.Get("pe")!).Get("weights")!).Text);
        Assert.True(memo.IsShared(first.Get("pe")!));
        Assert.False(memo.IsShared(changed.Get("pe")!));
    }

    [Fact]
    public void ABadValueReportsTheSameDiagnosticsEveryTime()
    {
        using var dir = new TempDir();
        var path = dir.Write("base.yaml", Valid);
        var parsed = ResolvedArchitecture.Parse(path);
        var sets = new[] { Set("pe={kind: int_mac, weights: int8"), Set("array.rows=8") }.ToList();
        var expected = Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(path, sets));
        for (int i = 0; i < 2; i++)
        {
            var e = Assert.Throws<ConfigException>(() => parsed.Load(sets));
            Assert.Equal(expected.Diagnostics.Select(x => x.ToString()), e.Diagnostics.Select(x => x.ToString()));
            Assert.NotEmpty(e.Diagnostics);
        }
    }
}
