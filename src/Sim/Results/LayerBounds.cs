using System.Globalization;

namespace Mantissa.Sim.Results;

/// <summary>
/// How far a GEMM layer's result is from what no mapping can beat: the compulsory DRAM traffic (every operand read once,
/// every output written once) and the cycles of a fully busy array or of the compulsory traffic on the DRAM bus.
/// </summary>
public sealed record LayerBounds(double CompulsoryDramBytes, double DramBytes, double ComputeBoundCycles, double DramBoundCycles, double Cycles)
{
    /// <summary>The larger of the two cycle bounds.</summary>
    public double MinCycles => Math.Max(ComputeBoundCycles, DramBoundCycles);

    /// <summary>DRAM bytes moved ÷ compulsory bytes (1 = every operand crosses DRAM once).</summary>
    public double TrafficRatio => CompulsoryDramBytes > 0 ? DramBytes / CompulsoryDramBytes : 1;

    /// <summary>Cycles ÷ <see cref="MinCycles"/>.</summary>
    public double CycleRatio => MinCycles > 0 ? Cycles / MinCycles : 1;

    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv,
            $"DRAM {DramBytes:#,0} B = {TrafficRatio:0.###}x the compulsory {CompulsoryDramBytes:#,0} B; " +
            $"cycles {Cycles:#,0} = {CycleRatio:0.###}x the bound {MinCycles:#,0} (array fully busy {ComputeBoundCycles:#,0}, compulsory DRAM {DramBoundCycles:#,0})");
    }
}
