namespace Mantissa.Explorer.Sweep;

/// <summary>How commands obtain the sweep checks and the evaluator; tests substitute their own.</summary>
public sealed record EvaluatorBackend(SweepValidation Validation, Func<SweepSpec, IDesignEvaluator> Create)
{
    /// <summary>The architecture loader, cost model, workload catalog and simulator.</summary>
    public static EvaluatorBackend Default => SimulatorEvaluator.Backend;
}
