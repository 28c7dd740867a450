namespace Mantissa.Sim.Energy;

/// <summary>Energy of a run split by component (pJ): PE array, each memory level (DRAM included), leakage.</summary>
public sealed record EnergyBreakdown(double ComputePj, IReadOnlyList<(string Level, double Pj)> Levels, double LeakagePj)
{
    public double TotalPj => ComputePj + LevelsPj + LeakagePj;
    public double LevelsPj { get { double s = 0; foreach (var l in Levels) s += l.Pj; return s; } }

    public EnergyBreakdown Scale(double f) => new(ComputePj * f, Levels.Select(l => (l.Level, l.Pj * f)).ToArray(), LeakagePj * f);

    public static EnergyBreakdown Sum(EnergyBreakdown a, EnergyBreakdown b) => new(a.ComputePj + b.ComputePj,
        a.Levels.Zip(b.Levels, (x, y) => (x.Level, x.Pj + y.Pj)).ToArray(), a.LeakagePj + b.LeakagePj);
}
