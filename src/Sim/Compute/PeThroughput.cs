using Mantissa.Arch.Model;
using Mantissa.Sim.Pe;

namespace Mantissa.Sim.Compute;

/// <summary>
/// How fast one PE consumes a GEMM, from <see cref="PeCycleModel"/>: it reduces <see cref="DotWidth"/> K-elements
/// per pass, a pass takes <see cref="CyclesPerPass"/> cycles (1 for a plain MAC; any per-PE table build included), and each
/// quantization group of <see cref="GroupSize"/> elements (0: one group spanning K) adds <see cref="DequantCyclesPerGroup"/>
/// cycles. Every count goes through <see cref="PeCycles"/>, the formula the functional PE models are checked against.
/// </summary>
public readonly record struct PeThroughput(int DotWidth, int CyclesPerPass, int GroupSize = 0, int DequantCyclesPerGroup = 0)
{
    /// <summary>The same constants as <see cref="PeCycles"/> (the table build folded into the pass).</summary>
    public PeCycles Cycles => new(DotWidth, CyclesPerPass, 0, GroupSize, DequantCyclesPerGroup, 1);

    /// <summary>Sustained MACs per cycle over a long dot product (<see cref="PeCycles.MacsPerCycle"/>).</summary>
    public double MacsPerCycle => Cycles.MacsPerCycle;

    /// <summary>Throughput of <paramref name="pe"/> on its configured weight and activation formats.</summary>
    public static PeThroughput For(PeSpec pe) => From(PeCycleModel.For(pe, pe.WeightFormat, pe.ActivationFormat));

    /// <summary>The throughput of a PE with cycle constants <paramref name="c"/>.</summary>
    public static PeThroughput From(PeCycles c) =>
        new(c.MacsPerPass, c.CyclesPerPass + c.PrecomputeCyclesPerPass, c.GroupSize, c.DequantCyclesPerGroup);

    /// <summary>Dequantization cycles of a dot product over <paramref name="k"/> elements (<see cref="PeCycles.Groups"/> of them).</summary>
    public long DequantCycles(long k) => Cycles.Groups(k) * DequantCyclesPerGroup;
}
