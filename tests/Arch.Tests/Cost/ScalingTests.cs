using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

public class ScalingTests
{
    private static readonly TechnologyScaling S = TechnologyScaling.Default;

    [Fact]
    public void SameNodeAndSupplyIsIdentity()
    {
        Assert.Equal(1.0, S.EnergyScale(45, 0.9, 45, 0.9), 15);
        Assert.Equal(1.0, S.AreaScale(45, 45), 15);
        var pe = Specs.Pe(PeKind.IntMac, "int8", "int8", "int32");
        var dp = PeDatapath.Build(pe);
        var cost = AsicCostModel.Report(Specs.Asic(pe, node: 45, vdd: 0.9));
        Assert.Equal(dp.AreaUm2, cost.PeAreaUm2, 9);
    }

    [Fact]
    public void EnergyAndAreaFallMonotonicallyWithNode()
    {
        double[] nodes = { 65, 55, 45, 40, 32, 28, 22, 20, 16, 14, 12, 10, 7 };
        foreach (double v in new[] { 0.7, 0.8, 0.9, 1.0 })
            for (int i = 1; i < nodes.Length; i++)
                Assert.True(S.EnergyFactor(nodes[i], v) < S.EnergyFactor(nodes[i - 1], v), $"energy at {nodes[i]} nm, {v} V");
        for (int i = 1; i < nodes.Length; i++)
        {
            Assert.True(S.AreaFactor(nodes[i]) < S.AreaFactor(nodes[i - 1]));
            Assert.True(S.EnergyFactor(nodes[i], S.NominalVdd(nodes[i])) < S.EnergyFactor(nodes[i - 1], S.NominalVdd(nodes[i - 1])));
        }
        // Whole-PE energy falls with node too.
        var pe = Specs.Pe(PeKind.IntMac, "int8", "int8", "int32");
        double prev = double.MaxValue;
        foreach (double n in nodes)
        {
            double e = AsicCostModel.Evaluate(Specs.Asic(pe, node: n, vdd: 0.8)).PeEnergyPerActiveCyclePj;
            Assert.True(e < prev, $"PE energy at {n} nm");
            prev = e;
        }
    }

    [Fact]
    public void FactorsFrom45nmMatchTheResearchTable()
    {
        // cost-models.md section 4, computed from the Stillmaker coefficients: area 32 nm 0.455, 7 nm 0.059 (table values);
        // nominal-Vdd energy 45 nm @1.0 V -> 14 nm @0.8 V = 0.112, -> 7 nm @0.7 V = 0.056 (2-digit table rounding: 2%).
        Assert.Equal(0.455, S.AreaScale(45, 32), 6);
        Assert.Equal(0.0588, S.AreaScale(45, 7), 6);
        Assert.Equal(0.112, S.EnergyScale(45, 1.0, 14, 0.8), 0.112 * 0.02);
        Assert.Equal(0.056, S.EnergyScale(45, 1.0, 7, 0.7), 0.056 * 0.02);
        // 28 nm has no row: log-log interpolation between 32 and 20 gives area 0.37-0.38 (research table).
        Assert.InRange(S.AreaScale(45, 28), 0.36, 0.39);
    }

    [Fact]
    public void DelayFactorsMatchTheResearchTable()
    {
        // cost-models.md section 4, nominal-Vdd delay from HP45 @1.0 V: 32 nm 0.67, 14 nm 0.36, 7 nm 0.26 (2-digit rounding).
        double d45 = S.DelayFactor(45, 1.0);
        Assert.Equal(0.67, S.DelayFactor(32, 0.9) / d45, 0.01);
        Assert.Equal(0.36, S.DelayFactor(14, 0.8) / d45, 0.01);
        Assert.Equal(0.26, S.DelayFactor(7, 0.7) / d45, 0.01);
    }

    [Fact]
    public void SupplyDependenceFollowsTheStillmakerPolynomial()
    {
        // E(V) = a V^2 + b V + c with the HP45 row a = 1.018, b = -0.3107, c = 0.1539.
        static double E45(double v) => 1.018 * v * v - 0.3107 * v + 0.1539;
        var pe = Specs.Pe(PeKind.IntMac, "int8", "int8", "int32");
        var lo = AsicCostModel.Evaluate(Specs.Asic(pe, node: 45, vdd: 0.7));
        var hi = AsicCostModel.Evaluate(Specs.Asic(pe, node: 45, vdd: 0.9));
        double Row(ArchCost c, string comp) => c.EnergyTable.Single(e => e.Component == comp && e.Action == "active_cycle").EnergyPj;
        Assert.Equal(E45(0.7) / E45(0.9), Row(lo, "pe.multiplier") / Row(hi, "pe.multiplier"), 12);
        // Wires are C*V^2: exactly quadratic in the supply (the pitch does not change with Vdd).
        Assert.Equal(0.49 / 0.81, Row(lo, "pe.forward_wires") / Row(hi, "pe.forward_wires"), 12);
        // Lower supply, lower energy, same area.
        Assert.True(lo.PeEnergyPerActiveCyclePj < hi.PeEnergyPerActiveCyclePj);
        Assert.Equal(hi.AreaMm2, lo.AreaMm2, 12);
    }

    [Fact]
    public void NominalSupplyIsUsedWhenNoneIsGiven()
    {
        var pe = Specs.Pe(PeKind.IntMac, "int8", "int8", "int32");
        var r = AsicCostModel.Report(Specs.Asic(pe, node: 7, vdd: 0));
        Assert.Equal(0.7, r.Vdd!.Value, 12);
    }

    [Fact]
    public void NodeOutsideTheTableIsAClearError()
    {
        var ex = Assert.Throws<MantissaException>(() => AsicCostModel.Evaluate(Specs.Asic(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32"), node: 130)));
        Assert.Contains("130 nm", ex.Message);
        Assert.Contains("7..65", ex.Message);
        var v = Assert.Throws<MantissaException>(() => AsicCostModel.Evaluate(Specs.Asic(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32"), node: 28, vdd: 0.05)));
        Assert.Contains("technology.vdd", v.Message);
    }
}
