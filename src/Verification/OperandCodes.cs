using Mantissa.Arch.Numerics;

using Mantissa.Sim.Pe;

namespace Mantissa.Verification;

/// <summary>Code-space facts about an operand format for test-case generation: width, negation, extremes, specials.</summary>
public sealed class OperandCodes
{
    private readonly ScalarFormat _f;
    private readonly uint _mask;
    private readonly uint[] _max, _special;

    public OperandCodes(ScalarFormat f)
    {
        if (f is BitModFormat { Mixed: true } mixed) f = mixed.WithType(0);   // code-space facts of one member type
        _f = f;
        Bits = f.Bits;
        _mask = Bits == 32 ? uint.MaxValue : (1u << Bits) - 1;
        var max = new List<uint>();
        var special = new List<uint>();
        switch (f)
        {
            case IntFormat i:
                max.Add((uint)(i.MaxValue & _mask));
                max.Add((uint)(i.MinValue & _mask));
                break;
            case FloatFormat ff:
                var codec = FormatCodec.For(ff);
                double top = codec.MaxFiniteValue;
                for (uint c = 0; c <= _mask && Bits <= 16; c++)
                {
                    double v = codec.ToDouble(c);
                    if (!double.IsFinite(v)) special.Add(c);
                    else if (Math.Abs(v) == top) max.Add(c);
                }
                break;
            case PositFormat p:
                uint maxpos = _mask >> 1;
                max.AddRange(new[] { maxpos, (0u - maxpos) & _mask, 1u, _mask });
                special.Add(1u << (p.PositBits - 1));
                break;
            case AntFormat ant:
                uint magMax = (1u << ant.MagnitudeBits) - 1;
                max.Add(magMax);
                if (ant.Signed) max.Add(magMax | (1u << ant.MagnitudeBits));
                break;
            case BitModFormat b:
                int m = b.SortedValues().Max(Math.Abs);
                for (uint c = 0; c <= _mask; c++) if (Math.Abs(b.Value(c)) == m) max.Add(c);
                break;
        }
        _max = max.ToArray();
        _special = special.ToArray();
    }

    public int Bits { get; }

    public uint Count => _mask + 1;

    public bool HasSpecials => _special.Length > 0;

    public uint Random(Random r) => (uint)r.NextInt64(0, (long)_mask + 1);

    public uint Max(Random r) => _max.Length == 0 ? Random(r) : _max[r.Next(_max.Length)];

    /// <summary>A zero code: +0 or −0 at random for float formats (the only ones with a signed zero), else 0.</summary>
    public uint Zero(Random r) => _f is FloatFormat && r.Next(2) == 0 ? 1u << (Bits - 1) : 0u;

    public uint Special(Random r) => _special.Length == 0 ? Random(r) : _special[r.Next(_special.Length)];

    /// <summary>A code for −value (same code when −value is not representable).</summary>
    public uint Negate(uint c) => _f switch
    {
        IntFormat { Signed: true } => (0u - c) & _mask,
        FloatFormat => c ^ (1u << (Bits - 1)),
        AntFormat { Signed: true } => c ^ (1u << (Bits - 1)),
        PositFormat => (0u - c) & _mask,
        BitModFormat b when b.CodeOf(-b.Value(c)) is >= 0 and var n => (uint)n,
        _ => c,
    };
}
