using System.Diagnostics;
using Mantissa.Arch;
using Mantissa.Arch.Numerics;
using Mantissa.Verification.Reference;

using Mantissa.Sim.Pe;

namespace Mantissa.Verification;

/// <summary>Result of checking one configuration: cases run, mismatches (value or cycles), the first mismatch, time.</summary>
public sealed record PeCheckResult(string Kind, string Label, string Configuration, long Cases, long Mismatches, string? FirstMismatch, TimeSpan Elapsed);

/// <summary>One generated dot-product case.</summary>
public sealed record PeCase(uint[] A, uint[] W, uint[] Scales, int[] Zeros, string Strategy);

/// <summary>
/// Runs a PE datapath against <see cref="PeReference"/> (and its cycle count against <see cref="PeCycleModel"/>) on
/// exhaustive operand pairs and seeded random dot products with the hard cases: extreme magnitudes, exact cancellation,
/// NaN/Inf/NaR operands and scales, accumulator overflow, signed zeros, and groups cut by the end of K.
/// </summary>
public static class PeCheckRunner
{
    /// <summary>Whether every operand format is 8 bits or less (so all pairs can be enumerated).</summary>
    public static bool CanEnumerate(PeModel pe) => Element(pe.Spec.ActivationFormat).Bits <= 8 && Element(pe.Spec.WeightFormat).Bits <= 8;

    /// <summary>The code space of one element: a block's element format, an OliVe stream's N-bit element codes.</summary>
    internal static ScalarFormat Element(NumberFormat f) => f switch
    {
        BlockFormat b => b.Element,
        OliveFormat o => new IntFormat(o.ElementBits, true),
        _ => (ScalarFormat)f,
    };

    /// <summary>Every (activation, weight) code pair as a K=1 dot product (scales drawn from <paramref name="seed"/>).</summary>
    public static PeCheckResult Exhaustive(PeConfiguration config, int seed)
    {
        var pe = config.Create();
        if (!CanEnumerate(pe)) throw new MantissaException($"{config.Label}: operands wider than 8 bits cannot be enumerated");
        var ac = new OperandCodes(Element(pe.Spec.ActivationFormat));
        var wc = new OperandCodes(Element(pe.Spec.WeightFormat));
        var gen = new PeCaseGenerator(pe, new Random(seed));
        var sw = Stopwatch.StartNew();
        long cases = 0, bad = 0;
        string? first = null;
        if (pe.Spec.WeightFormat is OliveFormat olive) return ExhaustivePairs(config, pe, ac, olive, gen);
        var a = new uint[1];
        var w = new uint[1];
        for (uint x = 0; x < ac.Count; x++)
            for (uint y = 0; y < wc.Count; y++)
            {
                a[0] = x; w[0] = y;
                var c = new PeCase(a, w, gen.Scales(1, special: false), gen.Zeros(1), "pair");
                cases++;
                if (Check(pe, c) is { } why) { bad++; first ??= why; }
            }
        return new PeCheckResult(pe.Spec.Kind.Name, config.Label, pe.Describe(), cases, bad, first, sw.Elapsed);
    }

    /// <summary>
    /// OliVe weights decode two at a time, so the enumeration is over every weight pair code (K = 2) against every
    /// activation code in the first lane, the second lane's activation stepping through the codes in another order.
    /// OliVe activations (W4A4 mode) decode in pairs too: then every activation pair code meets every weight pair code.
    /// </summary>
    private static PeCheckResult ExhaustivePairs(PeConfiguration config, PeModel pe, OperandCodes ac, OliveFormat olive, PeCaseGenerator gen)
    {
        var sw = Stopwatch.StartNew();
        long cases = 0, bad = 0;
        string? first = null;
        var a = new uint[2];
        var w = new uint[2];
        var aOlive = pe.Spec.ActivationFormat as OliveFormat;
        uint n = aOlive is null ? (uint)ac.Count : 1u << (2 * aOlive.ElementBits), mask = (1u << olive.ElementBits) - 1;
        for (uint pair = 0; pair < 1u << (2 * olive.ElementBits); pair++)
            for (uint x = 0; x < n; x++)
            {
                if (aOlive is null) { a[0] = x; a[1] = (x * 7 + pair) % n; }
                else { a[0] = x & ((1u << aOlive.ElementBits) - 1); a[1] = x >> aOlive.ElementBits; }
                w[0] = pair & mask; w[1] = pair >> olive.ElementBits;
                var c = new PeCase(a, w, gen.Scales(2, special: false), gen.Zeros(2), "pair");
                cases++;
                if (Check(pe, c) is { } why) { bad++; first ??= why; }
            }
        return new PeCheckResult(pe.Spec.Kind.Name, config.Label, pe.Describe(), cases, bad, first, sw.Elapsed);
    }

    /// <summary><paramref name="count"/> seeded random dot products with K from 1 to <paramref name="maxK"/>.</summary>
    public static PeCheckResult Random(PeConfiguration config, int seed, int count, int maxK = 4096)
    {
        var pe = config.Create();
        var gen = new PeCaseGenerator(pe, new Random(seed));
        var sw = Stopwatch.StartNew();
        long bad = 0;
        string? first = null;
        for (int i = 0; i < count; i++)
        {
            var c = gen.Next(maxK);
            if (Check(pe, c) is { } why) { bad++; first ??= why; }
        }
        return new PeCheckResult(pe.Spec.Kind.Name, config.Label, pe.Describe(), count, bad, first, sw.Elapsed);
    }

    /// <summary>Null when the datapath matches the reference value and the cycle model; otherwise a description.</summary>
    public static string? Check(PeModel pe, PeCase c)
    {
        var got = pe.Dot(c.A, c.W, c.Scales, c.Zeros);
        ulong want = PeReference.Expected(pe, c.A, c.W, c.Scales, c.Zeros);
        long cycles = pe.Cycles.DotCycles(c.A.Length);
        if (got.Code == want && got.Cycles == cycles) return null;
        string Hex(IEnumerable<uint> v) => string.Join(",", v.Take(8).Select(x => x.ToString("x"))) + (v.Count() > 8 ? ",..." : "");
        return $"{c.Strategy} K={c.A.Length} a={Hex(c.A)} w={Hex(c.W)} scales={Hex(c.Scales)}: got {got.Code:x} in {got.Cycles} cycles, " +
               $"reference {want:x}, cycle model {cycles}";
    }
}

/// <summary>Seeded random dot-product cases for one PE, mixing uniform codes with the hard cases.</summary>
public sealed class PeCaseGenerator
{
    private readonly PeModel _pe;
    private readonly Random _r;
    private readonly OperandCodes _a, _w;
    private readonly OperandCodes? _scale;

    public PeCaseGenerator(PeModel pe, Random r)
    {
        _pe = pe;
        _r = r;
        _a = new OperandCodes(PeCheckRunner.Element(pe.Spec.ActivationFormat));
        _w = new OperandCodes(PeCheckRunner.Element(pe.Spec.WeightFormat));
        if (pe.ScaleFormat is { } sf) _scale = new OperandCodes(sf);
    }

    private static readonly string[] Strategies = { "uniform", "uniform", "max-magnitude", "cancellation", "specials", "overflow", "signed-zeros" };

    public PeCase Next(int maxK)
    {
        int k = _r.Next(10) switch
        {
            < 5 => _r.Next(1, Math.Min(maxK, 40) + 1),
            < 9 => _r.Next(1, Math.Min(maxK, 400) + 1),
            _ => _r.Next(1, maxK + 1),
        };
        string strategy = Strategies[_r.Next(Strategies.Length)];
        var a = new uint[k];
        var w = new uint[k];
        for (int i = 0; i < k; i++) { a[i] = _a.Random(_r); w[i] = _w.Random(_r); }
        switch (strategy)
        {
            case "max-magnitude":
            case "overflow":
                for (int i = 0; i < k; i++)
                {
                    if (strategy == "overflow" || _r.Next(2) == 0) a[i] = _a.Max(_r);
                    if (strategy == "overflow" || _r.Next(2) == 0) w[i] = _w.Max(_r);
                }
                if (strategy == "overflow") // same-sign products so they pile up
                    for (int i = 1; i < k; i++) { a[i] = a[0]; w[i] = w[0]; }
                break;
            case "cancellation":
                for (int i = 0; i + 1 < k; i += 2) { a[i + 1] = _a.Negate(a[i]); w[i + 1] = w[i]; }
                break;
            case "signed-zeros":
                // ±0 operands, sometimes in every term, so the sign of a zero result is decided by the IEEE rules.
                bool all = _r.Next(3) == 0;
                for (int i = 0; i < k; i++)
                {
                    if (all || _r.Next(2) == 0) { if (_r.Next(2) == 0) a[i] = _a.Zero(_r); else w[i] = _w.Zero(_r); }
                }
                break;
            case "specials":
                for (int n = _r.Next(1, 3); n > 0; n--)
                {
                    int i = _r.Next(k);
                    if (_r.Next(2) == 0) a[i] = _a.Special(_r); else w[i] = _w.Special(_r);
                }
                break;
        }
        int groups = _pe.ScalesNeeded(k);
        return new PeCase(a, w, Scales(k, strategy == "specials"), Zeros(k), strategy);
    }

    public uint[] Scales(int k, bool special)
    {
        int n = _pe.ScalesNeeded(k);
        var s = new uint[n];
        if (_pe.Spec.Kind.Arithmetic(_pe.Spec) == Mantissa.Arch.Model.PeArithmetic.MxBlocks)   // E8M0 block scales, not float group scales
        {
            for (int i = 0; i < n; i++) s[i] = (uint)_r.Next(127 - 24, 127 + 24);
            if (special && n > 0) s[_r.Next(n)] = _r.Next(3) switch { 0 => 0xFF, 1 => 0xFE, _ => 0 };
            return s;
        }
        if (_scale is null) return s;
        var f = (FloatFormat)_pe.ScaleFormat!;
        for (int i = 0; i < n; i++)
        {
            uint exp = (uint)(f.Bias + _r.Next(-8, 9));
            uint code = (exp << f.MantissaBits) | (uint)_r.Next(1 << f.MantissaBits);
            if (_r.Next(4) == 0) code |= 1u << (f.Bits - 1);
            s[i] = code;
        }
        if (special && n > 0) s[_r.Next(n)] = _r.Next(3) == 0 ? 0 : _scale.Special(_r);
        return s;
    }

    public int[] Zeros(int k)
    {
        if (_pe.TakesZeroPoints && _pe.Spec.WeightFormat is BitModFormat { Mixed: true })
            return Enumerable.Range(0, _pe.ScalesNeeded(k)).Select(_ => _r.Next(4)).ToArray();
        if (!_pe.TakesZeroPoints || _pe.Spec.WeightFormat is not IntFormat { Signed: false } wi) return Array.Empty<int>();
        var z = new int[_pe.ScalesNeeded(k)];
        for (int i = 0; i < z.Length; i++) z[i] = _r.Next(1 << wi.IntBits);
        return z;
    }
}
