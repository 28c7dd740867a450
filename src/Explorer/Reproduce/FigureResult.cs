namespace Mantissa.Explorer.Reproduce;

/// <summary>How a figure compares: within its band, a miss, an input (set in the files) or not modelled.</summary>
public enum FigureVerdict { Match, Miss, Input, NotModelled }

/// <summary>One figure's paper value beside the model's, with the ratio model/paper and the verdict.</summary>
public sealed record FigureResult(FigureSpec Spec, double? Model, FigureVerdict Verdict)
{
    public double? Ratio => Model is { } m && Spec.Paper != 0 ? m / Spec.Paper : null;

    /// <summary>The verdict as printed: ok, MISS, input, not modelled.</summary>
    public string VerdictText => Verdict switch
    {
        FigureVerdict.Match => "ok",
        FigureVerdict.Miss => "MISS",
        FigureVerdict.Input => "input",
        _ => "not modelled",
    };
}

/// <summary>Whether a stated ordering holds in the model, with the metric value of each run in order.</summary>
public sealed record OrderingResult(OrderingSpec Spec, IReadOnlyList<double> Values, bool Holds);

/// <summary>Everything one experiment produced.</summary>
public sealed record ExperimentResult(ExperimentSpec Spec, IReadOnlyList<FigureResult> Figures, IReadOnlyList<OrderingResult> Orderings, TimeSpan Elapsed)
{
    public int Misses => Figures.Count(f => f.Verdict == FigureVerdict.Miss);
    public int Matches => Figures.Count(f => f.Verdict == FigureVerdict.Match);
}
