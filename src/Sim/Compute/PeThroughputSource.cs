using Mantissa.Arch.Model;

namespace Mantissa.Sim.Compute;

/// <summary>Bridges the PE spec to the timing path (placeholder until the PE cycle model lands: one pass per cycle).</summary>
internal static class PeThroughputSource
{
    public static PeThroughput For(PeSpec pe) => new(Math.Max(1, pe.DotWidth), 1);
}
