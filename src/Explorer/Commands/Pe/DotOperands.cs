using System.Globalization;
using Mantissa.Arch.Numerics;
using Mantissa.Explorer.Cli;
using Mantissa.Sim.Pe;

namespace Mantissa.Explorer.Commands.Pe;

/// <summary>The operand codes of one <c>mantissa dot</c> evaluation, parsed from hex lists (or MX blocks).</summary>
internal sealed record DotOperands(uint[] A, uint[] W, uint[] Scales, int[] Zeros)
{
    public static DotOperands Parse(PeModel pe, string a, string w, string? scales, string? zeros, string? types = null)
    {
        if (types is not null)
        {
            if (zeros is not null) throw new UsageException("give either --zeros or --types, not both");
            if (pe.Spec.WeightFormat is not BitModFormat { Mixed: true })
                throw new UsageException("--types applies to bit_serial with a mixed BitMoD weight format (bitmod_fp3_mixed, bitmod_fp4_mixed)");
            zeros = string.Join(",", types.Split(',').Select(t => Array.IndexOf(BitModFormat.TypeNames, t.Trim().ToLowerInvariant()) is var i and >= 0
                ? i.ToString(CultureInfo.InvariantCulture)
                : throw new UsageException($"--types: '{t}' is not one of {string.Join(", ", BitModFormat.TypeNames)}")));
        }
        else if (pe.Spec.WeightFormat is BitModFormat { Mixed: true } && zeros is null)
            throw new UsageException($"{pe.Spec.WeightFormat.Name} needs --types (one of {string.Join(", ", BitModFormat.TypeNames)} per group)");
        if (pe is MxDotPe)
        {
            if (scales is not null) throw new UsageException("mx_dot takes its scales inside the blocks (--a SS:e0,...,e31); drop --scales");
            var (sa, ea) = Block(a, "--a", pe.Spec.ActivationFormat);
            var (sw, ew) = Block(w, "--w", pe.Spec.WeightFormat);
            return new DotOperands(ea, ew, new[] { sa, sw }, Array.Empty<int>());
        }
        var av = Codes(a, "--a", ElementBits(pe.Spec.ActivationFormat));
        var wv = Codes(w, "--w", ElementBits(pe.Spec.WeightFormat));
        if (av.Length != wv.Length) throw new UsageException($"--a has {av.Length} codes but --w has {wv.Length}");
        var sv = scales is null ? Array.Empty<uint>() : Codes(scales, "--scales", pe.ScaleFormat?.Bits ?? 32);
        int need = pe.ScalesNeeded(av.Length);
        if (sv.Length != need)
            throw new UsageException(need == 0
                ? $"{pe.Spec.Kind.Name} in this configuration takes no --scales"
                : $"--scales needs {need} {pe.ScaleFormat?.Name} code(s) (one per group of {(pe.Spec.Parameters.GroupSize <= 0 ? av.Length : pe.Spec.Parameters.GroupSize)}), got {sv.Length}");
        int[] zv = Array.Empty<int>();
        if (zeros is not null)
        {
            if (!pe.TakesZeroPoints) throw new UsageException($"{pe.Spec.Kind.Name} takes no --zeros");
            zv = zeros.Split(',').Select(z => int.TryParse(z.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
                ? v : throw new UsageException($"--zeros: '{z}' is not an integer")).ToArray();
            if (zv.Length != need) throw new UsageException($"--zeros needs {need} value(s), one per group; got {zv.Length}");
        }
        return new DotOperands(av, wv, sv, zv);
    }

    private static int ElementBits(NumberFormat f) => f is BlockFormat b ? b.Element.Bits : f.Bits;

    private static (uint scale, uint[] elements) Block(string text, string option, NumberFormat f)
    {
        int colon = text.IndexOf(':');
        if (colon < 0) throw new UsageException($"{option} for mx_dot is one block 'SS:e0,e1,...' (E8M0 scale in hex, a colon, then the element codes)");
        uint scale = Hex(text[..colon], option, 8);
        var el = Codes(text[(colon + 1)..], option, ElementBits(f));
        int size = ((BlockFormat)f).BlockSize;
        if (el.Length != size) throw new UsageException($"{option}: an {f.Name} block has {size} elements, got {el.Length}");
        return (scale, el);
    }

    private static uint[] Codes(string text, string option, int bits)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || parts.All(p => p.Length == 0)) throw new UsageException($"{option} needs at least one hex code");
        return parts.Select(p => Hex(p, option, bits)).ToArray();
    }

    private static uint Hex(string s, string option, int bits)
    {
        string t = s.Trim();
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) t = t[2..];
        if (!uint.TryParse(t, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
            throw new UsageException($"{option}: '{s}' is not a hex code");
        if (bits < 32 && v >> bits != 0) throw new UsageException($"{option}: code {s} does not fit in {bits} bits");
        return v;
    }
}
