using Mantissa.Arch.Model;
using Mantissa.Sim.Pe;

namespace Mantissa.Sim.Compute;

/// <summary>
/// How fast one PE consumes a GEMM, from <see cref="PeCycleModel"/>: it reduces <see cref="DotWidth"/> K-elements
/// per pass, a pass takes <see cref="CyclesPerPass"/> cycles (1 for a plain MAC), and each quantization group of
/// <see cref="GroupSize"/> elements adds <see cref="DequantCyclesPerGroup"/> cycles.
/// </summary>
public readonly record struct PeThroughput(int DotWidth, int CyclesPerPass, int GroupSize = 0, int DequantCyclesPerGroup = 0)
{
    public double MacsPerCycle => (double)DotWidth / CyclesPerPass;

    /// <summary>Throughput of <paramref name="pe"/> on its configured weight and activation formats.</summary>
    public static PeThroughput For(PeSpec pe) => From(PeCycleModel.For(pe, pe.WeightFormat, pe.ActivationFormat));

    public static PeThroughput From(PeCycles c) =>
        new(c.MacsPerPass, c.CyclesPerPass + c.PrecomputeCyclesPerPass, c.GroupSize, c.DequantCyclesPerGroup);

    /// <summary>Dequantization cycles of a dot product over <paramref name="k"/> elements.</summary>
    public long DequantCycles(long k) =>
        GroupSize <= 0 || DequantCyclesPerGroup == 0 || k <= 0 ? 0 : (k + GroupSize - 1) / GroupSize * DequantCyclesPerGroup;
}
