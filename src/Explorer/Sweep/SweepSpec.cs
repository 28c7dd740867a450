namespace Mantissa.Explorer.Sweep;

/// <summary>A parsed, validated sweep file: what to vary, on which workloads, what to optimise and how to search.</summary>
public sealed record SweepSpec(
    string Name,
    string SweepFile,
    string BaseFile,
    IReadOnlyList<SweepParameter> Parameters,
    IReadOnlyList<IReadOnlyList<string>> Zip,
    IReadOnlyList<WorkloadSpec> Workloads,
    IReadOnlyList<Objective> Objectives,
    IReadOnlyList<Constraint> Constraints,
    StrategySpec Strategy,
    string ColorBy,
    QuantSpec? Quant = null)
{
    /// <summary>The tensor quantization-error metrics use (the default when the file has no <c>quant:</c> block).</summary>
    public QuantSpec QuantTensor => Quant ?? QuantSpec.Default;
}

/// <summary>One swept architecture key (a dotted path) and the values, as YAML text, it takes in order.</summary>
public sealed record SweepParameter(string Path, IReadOnlyList<string> Values, bool Numeric);

/// <summary>A metric to optimise and its direction.</summary>
public sealed record Objective(string Metric, Goal Goal)
{
    /// <summary>The value as a quantity to minimise.</summary>
    public double Minimised(double v) => Goal == Goal.Min ? v : -v;

    public override string ToString() => $"{Goal.ToString().ToLowerInvariant()} {Metric}";
}

/// <summary>Comparison operators of a constraint.</summary>
public enum CompareOp { Le, Lt, Ge, Gt, Eq, Ne, IsTrue }

/// <summary>A bound a valid design must satisfy, e.g. <c>area_mm2 &lt;= 10</c> or <c>fpga_fits</c>.</summary>
public sealed record Constraint(Metric Metric, CompareOp Op, double Bound, string Text)
{
    public bool Holds(double v) => Op switch
    {
        CompareOp.Le => v <= Bound,
        CompareOp.Lt => v < Bound,
        CompareOp.Ge => v >= Bound,
        CompareOp.Gt => v > Bound,
        CompareOp.Eq => v == Bound,
        CompareOp.Ne => v != Bound,
        _ => v != 0 && !double.IsNaN(v),
    };
}

/// <summary>How design points are chosen: exhaustive grid, seeded random sample or NSGA-II search.</summary>
public abstract record StrategySpec
{
    /// <summary>Short text for summaries, e.g. <c>nsga2 (population 40, generations 20, seed 1)</c>.</summary>
    public abstract string Describe();
}

/// <summary>Every combination of the parameter values.</summary>
public sealed record GridStrategy : StrategySpec
{
    public override string Describe() => "grid";
}

/// <summary><paramref name="Samples"/> distinct points drawn uniformly with a seeded generator.</summary>
public sealed record RandomStrategy(int Samples, int Seed) : StrategySpec
{
    public override string Describe() => $"random (samples {Samples}, seed {Seed})";
}

/// <summary>NSGA-II multi-objective genetic search.</summary>
public sealed record Nsga2Strategy(int Population, int Generations, int Seed) : StrategySpec
{
    public override string Describe() => $"nsga2 (population {Population}, generations {Generations}, seed {Seed})";
}
