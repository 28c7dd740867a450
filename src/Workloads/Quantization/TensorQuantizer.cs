using System.Collections.Concurrent;
using Mantissa.Arch.Numerics;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Quantizes a whole tensor under a <see cref="QuantScheme"/>: cuts it into segments that share a scale (groups and
/// blocks run along each row, the input axis), quantizes the segments in parallel (each is independent, so the
/// result does not depend on scheduling) and measures the error.
/// </summary>
public static class TensorQuantizer
{
    private const int FixedScaleSlice = 1 << 14;

    public static QuantizedTensor Quantize(FloatTensor tensor, QuantScheme scheme)
    {
        var src = tensor.Values;
        var dst = new double[src.Length];
        if (src.Length == 0) return new QuantizedTensor(scheme, dst, scheme.Format.Bits, 0, new double[] { 1 });
        int cols = Math.Max(1, tensor.Columns), rows = tensor.Rows;
        var scales = new ScaleStore(scheme.ScaleFormat);
        ISegmentQuantizer q;
        int segment;                 // elements per segment along a row; 0: slice the flat tensor (fixed scale)
        long tensorMetaBits = 0;
        switch (scheme.Granularity)
        {
            case QuantGranularity.Cast:
                q = new CastQuantizer((ScalarFormat)scheme.Format); segment = 0; break;
            case QuantGranularity.PerTensor:
                q = FixedScale(scheme, scales, src); segment = 0; tensorMetaBits = q.MetadataBitsPerSegment; break;
            case QuantGranularity.Block:
                var bq = new BlockSegmentQuantizer((BlockFormat)scheme.Format, src);
                q = bq; segment = scheme.GroupSize; tensorMetaBits = bq.MetadataBitsPerTensor; break;
            default:
                q = PerSegment(scheme, scales);
                segment = scheme.Granularity == QuantGranularity.PerChannel ? cols : scheme.GroupSize;
                break;
        }

        long segments;
        double[] segmentScales;
        if (segment == 0)
        {
            int slices = (src.Length + FixedScaleSlice - 1) / FixedScaleSlice;
            var sliceScales = new double[slices];
            Parallel.For(0, slices, k =>
            {
                int start = k * FixedScaleSlice, len = Math.Min(FixedScaleSlice, src.Length - start);
                sliceScales[k] = q.Quantize(src.AsSpan(start, len), dst.AsSpan(start, len));
            });
            segments = 0;
            segmentScales = new[] { sliceScales.Length > 0 ? sliceScales[0] : 1 };
        }
        else
        {
            int perRow = (cols + segment - 1) / segment;
            segments = (long)rows * perRow;
            var scalesOut = segmentScales = new double[segments];
            // Batches of whole segments keep per-task overhead small for 16-element blocks.
            int batch = Math.Max(1, 8192 / segment);
            Parallel.ForEach(Partitioner.Create(0L, segments, batch), range =>
            {
                for (long s = range.Item1; s < range.Item2; s++)
                {
                    long row = s / perRow;
                    int k = (int)(s % perRow);
                    int start = k * segment, len = Math.Min(segment, cols - start);
                    long offset = row * cols + start;
                    scalesOut[s] = q.Quantize(src.AsSpan((int)offset, len), dst.AsSpan((int)offset, len));
                }
            });
        }
        double bits = scheme.Format.Bits + (segments * (double)q.MetadataBitsPerSegment + tensorMetaBits) / src.Length;
        return new QuantizedTensor(scheme, dst, bits, segment, segmentScales);
    }

    /// <summary>Quantizes and measures: MSE, SQNR and max abs error against the original values.</summary>
    public static QuantReport Measure(FloatTensor tensor, QuantScheme scheme)
    {
        var qt = Quantize(tensor, scheme);
        return new QuantReport(scheme, qt.BitsPerElement, QuantErrorMetrics.Compute(tensor.Values, qt.Values));
    }

    private static ISegmentQuantizer FixedScale(QuantScheme scheme, ScaleStore scales, float[] all) => scheme.Format switch
    {
        IntFormat { Signed: false } u => new AsymmetricIntQuantizer(u, scales, all, fixedScale: true),
        _ => new ScaledScalarQuantizer((ScalarFormat)scheme.Format, scales, scheme.Rule,
                new ScaledScalarQuantizer((ScalarFormat)scheme.Format, scales, scheme.Rule).ScaleFor(all)),
    };

    private static ISegmentQuantizer PerSegment(QuantScheme scheme, ScaleStore scales)
    {
        if (scheme.BitModTypes is { } types) return new BitModQuantizer(types, scales);
        return scheme.Format switch
        {
            IntFormat { Signed: false } u => new AsymmetricIntQuantizer(u, scales),
            _ => new ScaledScalarQuantizer((ScalarFormat)scheme.Format, scales, scheme.Rule),
        };
    }
}
