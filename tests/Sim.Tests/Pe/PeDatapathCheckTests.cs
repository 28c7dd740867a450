using Mantissa.Sim.Pe;
using Mantissa.Verification;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>Every standard configuration against the rational reference: all operand pairs, then seeded random dot products.</summary>
public class PeDatapathCheckTests
{
    public static IEnumerable<object[]> Configurations() =>
        PeConfigurations.All.Select((c, i) => new object[] { i, c.Label });

    [Theory]
    [MemberData(nameof(Configurations))]
    public void ExhaustivePairsMatchTheReference(int index, string label)
    {
        var config = PeConfigurations.All[index];
        if (!PeCheckRunner.CanEnumerate(config.Create())) return; // 16-bit operands: covered by the random test
        var r = PeCheckRunner.Exhaustive(config, seed: 11);
        Assert.True(r.Mismatches == 0, $"{label}: {r.Mismatches}/{r.Cases} mismatches; first: {r.FirstMismatch}");
        Assert.True(r.Cases >= 16);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void RandomDotProductsMatchTheReference(int index, string label)
    {
        var r = PeCheckRunner.Random(PeConfigurations.All[index], seed: 2026 + index, count: 60);
        Assert.True(r.Mismatches == 0, $"{label}: {r.Mismatches}/{r.Cases} mismatches; first: {r.FirstMismatch}");
    }
}
