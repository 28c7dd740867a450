using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe;
using Mantissa.Workloads.Quantization;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Sim.Quant;

/// <summary>
/// Runs Y = X·Wᵀ through a PE's bit-exact functional model (<see cref="PeModel.Dot"/>), one output at a time, with
/// operands quantized the way the PE consumes them:
/// MX PEs get OCP MX blocks of both operands; PEs that take per-group weight scales (bit_serial, lut, shift_add with a
/// float accumulator) get int weights with fp16 group scales and fp16 or integer activations; PEs without scale inputs
/// get per-row weight codes and per-token activation codes whose scales are applied to the PE's result afterwards.
/// </summary>
public static class PeGemmEvaluator
{
    /// <summary>Default activation format for a PE kind when none is given.</summary>
    public static NumberFormat DefaultActivation(PeKind kind, NumberFormat weights) =>
        kind == PeKind.BitSerial || kind == PeKind.ShiftAdd ? NumberFormat.Parse("fp16")
        : kind == PeKind.IntMac || kind == PeKind.Lut ? NumberFormat.Parse("int8")
        : weights;

    /// <summary>Default accumulator for a PE kind.</summary>
    public static NumberFormat DefaultAccumulator(PeKind kind, NumberFormat activations) =>
        kind == PeKind.IntMac || kind == PeKind.Lut || (kind == PeKind.BitSerial && activations is IntFormat)
            ? NumberFormat.Parse("int32") : NumberFormat.Parse("fp32");

    /// <summary>A PE spec for the kind and operand formats (dot width 16, group <paramref name="group"/>, 2 bits/cycle).</summary>
    public static PeSpec Spec(PeKind kind, NumberFormat weights, NumberFormat activations, NumberFormat accumulator, int group) =>
        new(kind, weights, activations, accumulator, 16, new PeParameters { GroupSize = group, BitsPerCycle = 2 });

    /// <summary>Evaluates the first <paramref name="maxRows"/> output channels of W against every activation row.</summary>
    public static PeGemmResult Measure(PeSpec spec, FloatTensor weights, FloatTensor activations, int maxRows = 64)
    {
        var pe = PeFactory.Create(spec);
        int k = weights.Columns, n = Math.Min(weights.Rows, maxRows), m = activations.Rows;
        if (activations.Columns != k) throw new MantissaException($"activations have {activations.Columns} columns but K is {k}");
        var w = Slice(weights, n);
        var wOps = Operands(pe, spec.WeightFormat, w, weightSide: true);
        var xOps = Operands(pe, spec.ActivationFormat, activations, weightSide: false);
        bool mx = spec.Kind == PeKind.MxDot;
        var outCodec = pe.Output.Codec;
        var parts = new (double ErrD, double ErrI, double Sig, double MaxD, double MaxI, long Cycles)[n];
        Parallel.For(0, n, j =>
        {
            double ed = 0, ei = 0, sg = 0, md = 0, mi = 0;
            long cycles = 0;
            var scales = new uint[pe.ScalesNeeded(k)];
            var zeros = pe.TakesZeroPoints ? new int[scales.Length] : Array.Empty<int>();
            for (int i = 0; i < m; i++)
            {
                double yRef = 0, yIdeal = 0;
                for (int t = 0; t < k; t++)
                {
                    yRef += (double)activations.Values[i * k + t] * w.Values[j * k + t];
                    yIdeal += xOps.Values[i * k + t] * wOps.Values[j * k + t];
                }
                var a = xOps.Codes.AsSpan(i * k, k);
                var wc = wOps.Codes.AsSpan(j * k, k);
                if (mx)
                {
                    xOps.ScaleCodes.AsSpan(i * xOps.ScalesPerRow, xOps.ScalesPerRow).CopyTo(scales);
                    wOps.ScaleCodes.AsSpan(j * wOps.ScalesPerRow, wOps.ScalesPerRow).CopyTo(scales.AsSpan(xOps.ScalesPerRow));
                }
                else if (scales.Length > 0) wOps.ScaleCodes.AsSpan(j * wOps.ScalesPerRow, wOps.ScalesPerRow).CopyTo(scales);
                var r = pe.Dot(a, wc, scales, zeros);
                cycles += r.Cycles;
                double y = outCodec.ToDouble(r.Code) * xOps.RowScale[i] * wOps.RowScale[j];
                double dd = yRef - y, di = yRef - yIdeal;
                ed += dd * dd; ei += di * di; sg += yRef * yRef;
                md = Math.Max(md, Math.Abs(dd)); mi = Math.Max(mi, Math.Abs(di));
            }
            parts[j] = (ed, ei, sg, md, mi, cycles);
        });
        double sd = 0, si = 0, ss = 0, xd = 0, xi = 0; long cyc = 0;
        foreach (var p in parts) { sd += p.ErrD; si += p.ErrI; ss += p.Sig; xd = Math.Max(xd, p.MaxD); xi = Math.Max(xi, p.MaxI); cyc += p.Cycles; }
        double count = (double)n * m;
        return new PeGemmResult(spec.Kind.Name + " " + pe.Describe(),
            new QuantError(sd / count, QuantErrorMetrics.Sqnr(ss, sd), xd),
            new QuantError(si / count, QuantErrorMetrics.Sqnr(ss, si), xi), cyc, n, m);
    }

    /// <summary>Codes the PE consumes, the dequantized values they stand for, and scales applied outside the PE.</summary>
    private sealed record OperandSet(uint[] Codes, double[] Values, uint[] ScaleCodes, int ScalesPerRow, double[] RowScale);

    private static OperandSet Operands(PeModel pe, NumberFormat format, FloatTensor t, bool weightSide)
    {
        int rows = t.Rows, k = t.Columns;
        var codes = new uint[t.Count];
        var ones = Enumerable.Repeat(1.0, rows).ToArray();
        if (format is BlockFormat bf)
        {
            int per = (k + bf.BlockSize - 1) / bf.BlockSize;
            var sc = new uint[rows * per];
            var values = new double[t.Count];
            Span<double> block = stackalloc double[bf.BlockSize];
            Span<ulong> ec = stackalloc ulong[bf.BlockSize];
            for (int r = 0; r < rows; r++)
                for (int b = 0; b < per; b++)
                {
                    int s = r * k + b * bf.BlockSize, len = Math.Min(bf.BlockSize, k - b * bf.BlockSize);
                    for (int i = 0; i < len; i++) block[i] = t.Values[s + i];
                    ulong scale = BlockQuantizer.Quantize(bf, block[..len], ec[..len]);
                    BlockQuantizer.Dequantize(bf, ec[..len], scale, values.AsSpan(s, len));
                    for (int i = 0; i < len; i++) codes[s + i] = (uint)ec[i];
                    sc[r * per + b] = (uint)scale;
                }
            return new OperandSet(codes, values, sc, per, ones);
        }
        var scalar = (ScalarFormat)format;
        var codec = scalar.Codec;
        // Group scales go into the PE only for weights of PEs that take them; everything else is scaled per row outside.
        bool groupScales = weightSide && pe.ScalesNeeded(k) > 0;
        if (!weightSide && scalar is FloatFormat { Bits: 16 })
        {
            var v = new double[t.Count];
            for (int i = 0; i < t.Count; i++) { codes[i] = (uint)codec.FromDouble(t.Values[i], RoundingMode.Rne, saturate: true); v[i] = codec.ToDouble(codes[i]); }
            return new OperandSet(codes, v, Array.Empty<uint>(), 0, ones);
        }
        int group = groupScales ? (pe.Spec.Parameters.GroupSize <= 0 ? k : pe.Spec.Parameters.GroupSize) : k;
        var scheme = QuantSchemes.Resolve(scalar.Name, group == k ? 0 : group, group == k ? QuantGranularity.PerChannel : QuantGranularity.PerGroup);
        if (scheme.Rule == ScaleRule.MinMax) scheme = scheme with { Rule = ScaleRule.AbsMax }; // PEs here take no zero points
        var q = TensorQuantizer.Quantize(t, scheme);
        int perRow = (k + q.SegmentLength - 1) / q.SegmentLength;
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < k; i++)
            {
                double s = q.Scales[r * perRow + i / q.SegmentLength];
                // q/s is exactly a value of the format, so the encoder returns its code without rounding.
                codes[r * k + i] = s == 0 ? (uint)codec.FromDouble(0) : (uint)codec.FromDouble(q.Values[r * k + i] / s, RoundingMode.Rne, saturate: true);
            }
        if (groupScales)
        {
            var scaleCodec = (pe.ScaleFormat ?? (FloatFormat)NumberFormat.Parse("fp16")).Codec;
            var sc = q.Scales.Select(s => (uint)scaleCodec.FromDouble(s, RoundingMode.Rne, saturate: true)).ToArray();
            return new OperandSet(codes, q.Values, sc, perRow, ones);
        }
        return new OperandSet(codes, q.Values, Array.Empty<uint>(), 0, q.Scales);
    }

    private static FloatTensor Slice(FloatTensor t, int rows) =>
        rows == t.Rows ? t : new FloatTensor(t.Name, new long[] { rows, t.Columns }, t.Values.AsSpan(0, rows * t.Columns).ToArray());
}
