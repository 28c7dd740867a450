using Mantissa.Arch.Model;
using Mantissa.Sim.Energy;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;
using Mantissa.Sim.Timing;

namespace Mantissa.Sim.Tests;

/// <summary>
/// <see cref="LeafPricing"/> (the last step of the leaf scorer and the class bounds) against what it stands in for, the
/// closed form (<see cref="ClosedFormTerms"/>) and <see cref="EnergyModel.TotalPj"/>, bit for bit: on whole one-level
/// mapspaces, double- and single-buffered, with every PE charged every cycle or not, over drawn traffic costs.
/// </summary>
public class LeafPricingTests
{
    [Fact]
    public void LeafPricingEqualsTheClosedFormAndTheEnergyModelBitForBit()
    {
        var rng = new Random(8117);
        int compared = 0, single = 0, chargeAll = 0, innerBound = 0;
        foreach (var (_, level, p, _, mapper, space) in OneLevelMapspaces.Draw(2203))
        {
            var arch = mapper.Arch;
            foreach (var (charge, flipBuffering) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                // the on-chip level's buffering flipped: both closed forms (double-buffered, and the general single-buffered one)
                var a = arch with
                {
                    Switches = arch.Switches with { ChargeAllPesEveryCycle = charge },
                    Memory = arch.Memory.Select((l, i) => i == level && flipBuffering ? l with { DoubleBuffered = !l.DoubleBuffered } : l).ToArray(),
                };
                double compute = rng.Next(50, 5000) + 0.25, busy = p.Macs / 3.0;
                var pricing = new LeafPricing();
                pricing.Start(a, mapper.Cost, compute, busy);
                var dram = a.Memory[MemoryLevels.Dram];
                foreach (var m in space.Take(60))
                {
                    var view = new ArchView(a, m.Bypass);
                    var tile = new ClosedFormTile(view, p, m, TileCounts.Of(p, m));
                    var memory = new MemoryCost(rng.NextDouble() * 1e6, rng.Next(2) == 0 ? 0 : rng.NextDouble() * 2 * compute,
                        new PerTensor(rng.Next(0, 100000) / 8.0, rng.Next(0, 100000) / 8.0, 0),
                        new PerTensor(0, 0, rng.Next(0, 100000) / 8.0));
                    double cycles = new ClosedFormTerms(tile, compute, memory).Cycles(dram.ReadBytesPerCycle, dram.WriteBytesPerCycle);
                    double energy = EnergyModel.TotalPj(a, mapper.Cost, memory.MemoryPj, busy, cycles);
                    var s = pricing.Score(tile, memory);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(cycles), BitConverter.DoubleToInt64Bits(s.Cycles));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(energy), BitConverter.DoubleToInt64Bits(s.EnergyPj));
                    compared++;
                    if (!tile.DoubleBuffered) single++;
                    if (charge) chargeAll++;
                    if (memory.InnerCycles > compute) innerBound++;
                }
            }
        }
        Assert.True(compared >= 4000 && single >= 1000 && chargeAll >= 2000 && innerBound >= 200,
            $"{compared} compared, {single} single-buffered, {chargeAll} charging every PE, {innerBound} bound by the on-chip level");
    }
}
