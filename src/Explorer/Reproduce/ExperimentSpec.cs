using Mantissa.Workloads;

namespace Mantissa.Explorer.Reproduce;

/// <summary>One paper's headline comparison: its runs, the published figures and the orderings it states.</summary>
public sealed record ExperimentSpec(
    string Name,
    string Title,
    string Paper,
    string Directory,
    IReadOnlyList<RunSpec> Runs,
    IReadOnlyList<FigureSpec> Figures,
    IReadOnlyList<OrderingSpec> Orderings);

/// <summary>What one run simulates: a workload or a GEMM on a design, or only its cost (no workload).</summary>
public sealed record RunWorkload(string Model, Phase Phase, int Batch, int? Seq, int? Kv, string? Precision, (long M, long K, long N)? Gemm);

/// <summary>A quantization-error measurement: a synthetic distribution or tensor file stored in one format.</summary>
public sealed record RunQuant(string Source, string Format, int Group, int Count, ulong Seed);

/// <summary>One design (an architecture file in the experiment folder) with an optional workload and quant run.</summary>
public sealed record RunSpec(string Id, string? DesignPath, RunWorkload? Workload, RunQuant? Quant, string Label);

/// <summary>
/// One published figure: the paper's value, where it is printed, how the model computes it (a metric of one run, or
/// the mean of ratios run/over), what is assumed, and whether it is an input (set in the files, not reproduced) or a
/// known miss (with the component or assumption that explains it).
/// </summary>
public sealed record FigureSpec(
    string Id,
    string What,
    double Paper,
    string Source,
    ReproMetric? Metric,
    IReadOnlyList<string> Runs,
    IReadOnlyList<string> Over,
    bool IsInput,
    double Band,
    IReadOnlyList<string> Assumed,
    string? KnownMiss,
    string? NotModelled);

/// <summary>An ordering the paper states: the metric increases along <see cref="Order"/> (first is best for costs).</summary>
public sealed record OrderingSpec(string What, string Source, ReproMetric Metric, IReadOnlyList<string> Order, string? KnownFail);
