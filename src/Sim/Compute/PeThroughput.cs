using Mantissa.Arch.Model;

namespace Mantissa.Sim.Compute;

/// <summary>
/// How fast one PE consumes a GEMM: it reduces <see cref="DotWidth"/> K-elements per pass and a pass takes
/// <see cref="CyclesPerPass"/> cycles (1 for a plain MAC).
/// </summary>
public readonly record struct PeThroughput(int DotWidth, int CyclesPerPass)
{
    public double MacsPerCycle => (double)DotWidth / CyclesPerPass;

    public static PeThroughput For(PeSpec pe) => PeThroughputSource.For(pe);
}
