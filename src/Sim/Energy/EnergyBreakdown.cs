namespace Mantissa.Sim.Energy;

/// <summary>Energy of a run split by component (pJ): PE array, each memory level (DRAM included), leakage.</summary>
public sealed record EnergyBreakdown(double ComputePj, IReadOnlyList<(string Level, double Pj)> Levels, double LeakagePj)
{
    public double TotalPj => ComputePj + LevelsPj + LeakagePj;
    public double LevelsPj { get { double s = 0; for (int i = 0; i < Levels.Count; i++) s += Levels[i].Pj; return s; } }

    // loops, not Select/Zip over the (string, double) tuples: those instantiations are JIT-compiled at every start-up
    public EnergyBreakdown Scale(double f)
    {
        var levels = new (string Level, double Pj)[Levels.Count];
        for (int i = 0; i < levels.Length; i++) levels[i] = (Levels[i].Level, Levels[i].Pj * f);
        return new(ComputePj * f, levels, LeakagePj * f);
    }
}
