using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Energy;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Timing;

namespace Mantissa.Sim.Search;

/// <summary>
/// The last step of a leaf's score with one on-chip level, shared by <see cref="LeafScorer"/> and <see cref="ClassBounds"/>:
/// the closed-form cycles (<see cref="ClosedFormTerms"/>) and the total energy (<see cref="EnergyModel.TotalPj"/>) of a
/// tile's terms and a traffic's cost, by the same operations in the same order, with what a search segment fixes (the
/// DRAM bandwidths, the PE count and energies, the leakage and the clock) read once in <see cref="Start"/> instead of
/// through the design's records for every candidate. Equal to those two bit for bit (LeafPricingTests compare them);
/// a single-buffered level takes the general closed form.
/// </summary>
internal struct LeafPricing
{
    private double _rbw, _wbw, _compute, _busyPeCycles;
    private double _peCount, _active, _idle, _leakMw, _hz;
    private bool _chargeAll;

    /// <summary>Sets the design, the DRAM's bandwidths and the segment's compute and busy PE cycles.</summary>
    public void Start(ArchitectureSpec arch, ArchCost cost, double computeCycles, double busyPeCycles)
    {
        var dram = arch.Memory[MemoryLevels.Dram];
        _rbw = dram.ReadBytesPerCycle; _wbw = dram.WriteBytesPerCycle;
        _compute = computeCycles; _busyPeCycles = busyPeCycles;
        // the operands of EnergyModel.PePj, LeakagePj and Seconds, each computed as they compute it
        _peCount = arch.PeCount;
        _chargeAll = arch.Switches.ChargeAllPesEveryCycle;
        _active = cost.PeEnergyPerActiveCyclePj; _idle = cost.PeEnergyPerIdleCyclePj;
        _leakMw = cost.LeakageMw + cost.AlwaysOnMw;
        _hz = arch.ClockMhz * 1e6;
    }

    /// <summary>
    /// Cycles and total energy of a mapping whose first on-chip tile's terms are <paramref name="tile"/> and whose traffic
    /// costs <paramref name="memory"/>: <c>new ClosedFormTerms(tile, compute, memory).Cycles(rbw, wbw)</c> and
    /// <c>EnergyModel.TotalPj</c> of those cycles.
    /// </summary>
    public readonly MappingScore Score(in ClosedFormTile tile, in MemoryCost memory)
    {
        double cycles = tile.Nested && tile.DoubleBuffered
            ? ClosedFormTerms.DoubleBuffered(Math.Max(_compute, memory.InnerCycles), tile.Tiles, tile.FirstBytes, tile.LastBytes,
                memory.DramReadTotal, memory.DramWriteTotal, _rbw, _wbw)
            : new ClosedFormTerms(tile, _compute, memory).Cycles(_rbw, _wbw);
        // EnergyModel.TotalPj from the operands read in Start: PePj + memory + LeakagePj(seconds), in that order
        double pj = EnergyModel.PePj(_peCount, _chargeAll, _active, _idle, _busyPeCycles, cycles) + memory.MemoryPj +
                    EnergyModel.LeakagePj(_leakMw, cycles / _hz);
        return new MappingScore(cycles, pj);
    }
}
