using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Quantization;

/// <summary>Quantization error of every scheme on one layer's weights, with the energies needed to pool layers.</summary>
public sealed record LayerQuantRow(string Tensor, IReadOnlyList<long> Shape, int Values, double SignalEnergy, IReadOnlyList<QuantReport> Reports);

/// <summary>Per-layer quantization error of several schemes over a model's weight tensors, and the whole-model totals.</summary>
public sealed class LayerQuantStudy
{
    public LayerQuantStudy(IReadOnlyList<QuantScheme> schemes, IEnumerable<FloatTensor> layers)
    {
        Schemes = schemes;
        var rows = new List<LayerQuantRow>();
        foreach (var t in layers)
        {
            double signal = 0;
            foreach (var v in t.Values) signal += (double)v * v;
            rows.Add(new LayerQuantRow(t.Name, t.Shape, t.Count, signal, schemes.Select(s => TensorQuantizer.Measure(t, s)).ToList()));
        }
        Rows = rows;
    }

    public IReadOnlyList<QuantScheme> Schemes { get; }
    public IReadOnlyList<LayerQuantRow> Rows { get; }

    public long TotalValues => Rows.Sum(r => (long)r.Values);

    /// <summary>SQNR of all layers pooled: 10·log10(Σ signal / Σ noise) over every value of every layer.</summary>
    public double PooledSqnrDb(int scheme) =>
        QuantErrorMetrics.Sqnr(Rows.Sum(r => r.SignalEnergy), Rows.Sum(r => r.Reports[scheme].Error.Mse * r.Values));

    /// <summary>Storage cost of all layers in bits per element, scales included.</summary>
    public double PooledBitsPerElement(int scheme) =>
        TotalValues == 0 ? 0 : Rows.Sum(r => r.Reports[scheme].BitsPerElement * r.Values) / TotalValues;
}
