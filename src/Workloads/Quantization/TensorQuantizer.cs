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
        var (q, segment, tensorMetaBits) = Segmenter(tensor, scheme);

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

    /// <summary>
    /// Quantizes and measures: MSE, SQNR and max abs error against the original values — the same figures as
    /// <see cref="QuantErrorMetrics.Compute"/> of <see cref="Quantize"/>, bit for bit, without a quantized copy of the
    /// tensor: windows of <paramref name="window"/> elements (whole <see cref="QuantErrorMetrics.Chunk"/>s) are quantized
    /// into one reused buffer and summed chunk by chunk in the same order. A segment that straddles two windows is
    /// quantized in both (its values do not depend on the window), so memory stays at one window per call.
    /// </summary>
    public static QuantReport Measure(FloatTensor tensor, QuantScheme scheme, int window = 1 << 20)
    {
        var src = tensor.Values;
        if (src.Length == 0) return new QuantReport(scheme, scheme.Format.Bits, QuantErrorMetrics.Compute(src, Array.Empty<double>()));
        if (window <= 0 || window % QuantErrorMetrics.Chunk != 0 || window % FixedScaleSlice != 0)
            throw new ArgumentOutOfRangeException(nameof(window), $"window must be a positive multiple of {QuantErrorMetrics.Chunk}");
        int cols = Math.Max(1, tensor.Columns), rows = tensor.Rows;
        var (q, segment, tensorMetaBits) = Segmenter(tensor, scheme);
        int perRow = segment == 0 ? 0 : (cols + segment - 1) / segment;
        long segments = segment == 0 ? 0 : (long)rows * perRow;
        var buffer = new double[Math.Min(window, src.Length)];
        var parts = new List<(double Err, double Sig, double Max)>((src.Length + QuantErrorMetrics.Chunk - 1) / QuantErrorMetrics.Chunk);
        for (int a = 0; a < src.Length; a += window)
        {
            int len = Math.Min(window, src.Length - a);
            var dst = buffer.AsMemory(0, len);
            if (segment == 0)
            {
                // fixed scale or cast: element-wise, so any slicing gives the same values
                Parallel.For(0, (len + FixedScaleSlice - 1) / FixedScaleSlice, k =>
                {
                    int start = k * FixedScaleSlice, n = Math.Min(FixedScaleSlice, len - start);
                    q.Quantize(src.AsSpan(a + start, n), dst.Span.Slice(start, n));
                });
            }
            else
            {
                long first = SegmentAt(a, cols, segment, perRow), last = SegmentAt(a + len - 1, cols, segment, perRow);
                int batch = Math.Max(1, 8192 / segment);
                int at = a;
                Parallel.ForEach(Partitioner.Create(first, last + 1, batch), () => new double[segment], (range, _, scratch) =>
                {
                    for (long s = range.Item1; s < range.Item2; s++)
                    {
                        long row = s / perRow;
                        int k = (int)(s % perRow);
                        int start = k * segment, n = Math.Min(segment, cols - start);
                        long offset = row * cols + start;
                        if (offset >= at && offset + n <= at + len)
                        {
                            q.Quantize(src.AsSpan((int)offset, n), dst.Span.Slice((int)(offset - at), n));
                            continue;
                        }
                        // straddles the window's edge: quantize it whole, keep the part inside
                        q.Quantize(src.AsSpan((int)offset, n), scratch.AsSpan(0, n));
                        long lo = Math.Max(offset, at), hi = Math.Min(offset + n, at + len);
                        scratch.AsSpan((int)(lo - offset), (int)(hi - lo)).CopyTo(dst.Span.Slice((int)(lo - at), (int)(hi - lo)));
                    }
                    return scratch;
                }, _ => { });
            }
            parts.AddRange(QuantErrorMetrics.ChunkSums(src.AsMemory(a, len), dst));
        }
        double bits = scheme.Format.Bits + (segments * (double)q.MetadataBitsPerSegment + tensorMetaBits) / src.Length;
        return new QuantReport(scheme, bits, QuantErrorMetrics.Combine(parts, src.Length));
    }

    private static long SegmentAt(long element, int cols, int segment, int perRow) =>
        element / cols * perRow + element % cols / segment;

    /// <summary>The quantizer of one segment, the segment length along a row (0: slices of the flat tensor under one fixed scale) and the per-tensor metadata bits.</summary>
    private static (ISegmentQuantizer Q, int Segment, long TensorMetaBits) Segmenter(FloatTensor tensor, QuantScheme scheme)
    {
        var src = tensor.Values;
        var scales = new ScaleStore(scheme.ScaleFormat);
        switch (scheme.Granularity)
        {
            case QuantGranularity.Cast:
                return (new CastQuantizer((ScalarFormat)scheme.Format), 0, 0);
            case QuantGranularity.PerTensor:
                var fixedScale = FixedScale(scheme, scales, src);
                return (fixedScale, 0, fixedScale.MetadataBitsPerSegment);
            case QuantGranularity.Block:
                var bq = new BlockSegmentQuantizer((BlockFormat)scheme.Format, src);
                return (bq, scheme.GroupSize, bq.MetadataBitsPerTensor);
            default:
                return (PerSegment(scheme, scales), scheme.Granularity == QuantGranularity.PerChannel ? Math.Max(1, tensor.Columns) : scheme.GroupSize, 0);
        }
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
