using System.Security.Cryptography;
using System.Text;
using Mantissa.Arch.Model;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The configuration key of a sweep's design points (<see cref="IDesignEvaluator.ConfigKey"/>), derived from the design
/// a point resolves to, not from how its sets are spelled. The base design's canonical text (<see cref="DesignText"/>) is
/// hashed once; a point's key is that digest followed by the text of only the sections where the point's design differs
/// from the base (the header, the PE, the array, each memory level, the cost overrides, the chip), each
/// compared first by record equality and, when that says they differ, by text. So <c>clock_mhz: 1e3</c> and <c>1000</c>,
/// a set equal to the base's value, the same sets in another order and a <c>pe:</c> item that spells a default out all
/// give the base's own key, and the cost per point is the comparison plus the text of what changed (the runner hashes
/// the key with each workload into a row key, <see cref="RowKeyHasher"/>). A point whose
/// design does not load keys on its sets as written (its reason quotes them). Thread-safe.
/// </summary>
internal sealed class DesignKey
{
    private const string Scheme = "mantissa resolved-design key v" + RowKeyVersion.CurrentText + "\n";
    [ThreadStatic] private static StringBuilder? t_text;
    private readonly ArchitectureSpec? _base;
    private readonly string[] _baseSections;
    private readonly string _designPrefix, _invalidPrefix;

    /// <param name="baseDesign">The base file's design with no sets; null when it does not load on its own (then every section of a point is written).</param>
    public DesignKey(ArchitectureSpec? baseDesign)
    {
        _base = baseDesign;
        var sb = new StringBuilder(Scheme);
        if (baseDesign is null)
        {
            _baseSections = [];
            sb.Append("base=none\n");
        }
        else
        {
            _baseSections = Enumerable.Range(0, Fixed + baseDesign.Memory.Count).Select(s => Section(baseDesign, s)).ToArray();
            foreach (var s in _baseSections) sb.Append(s).Append('\n');
        }
        string digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
        _designPrefix = "design " + digest + "\n";
        _invalidPrefix = "invalid " + digest;
    }

    // sections: 0 header, 1 PE, 2 array, 3 cost overrides, 4 chip, then one per memory level
    private const int Fixed = 5;

    /// <summary>The key of a point whose design is <paramref name="design"/>: <c>design</c>, the base's digest and the sections that differ from it.</summary>
    public string Of(ArchitectureSpec design) => Text(design).ToString();

    /// <summary>The text <see cref="Of"/> returns, in the thread's builder: valid until the thread keys its next design (so a row key can hash it without a string).</summary>
    public StringBuilder Text(ArchitectureSpec design)
    {
        var sb = t_text ??= new StringBuilder(1024);
        sb.Clear().Append(_designPrefix);
        var last = t_last;
        if (last is null || !ReferenceEquals(last.Owner, this)) t_last = last = new LastDesign(this);
        int sections = Fixed + design.Memory.Count;
        last.Reserve(sections);
        for (int s = 0; s < sections; s++)
        {
            if (SameAsBase(design, s)) { last.Forget(s); continue; }
            // the section as the thread's last design had it (a sweep's neighbouring points share most sections): its text again
            if (last.Design is { } prior && last.Known(s) && Same(design, prior, s))
            {
                last.AppendTo(sb, s);
                continue;
            }
            int start = sb.Length;
            sb.Append('@').Append(s).Append(' ');
            int body = sb.Length;
            Write(sb, design, s);
            // a section that differs by record equality may still have the base's text (a format built anew)
            if (s < _baseSections.Length && Equal(sb, body, _baseSections[s])) sb.Length = start;
            else sb.Append('\n');
            last.Remember(s, sb, start);
        }
        last.Design = design;
        return sb;
    }

    [ThreadStatic] private static LastDesign? t_last;

    /// <summary>
    /// The last design a thread keyed and the text each of its sections that differed from the base added to its key
    /// (nothing when the text turned out to be the base's). Only sections compared through <see cref="Same"/> reuse it,
    /// so a reused text is that of a section equal to this one by record equality, which writes the same text.
    /// </summary>
    private sealed class LastDesign(DesignKey owner)
    {
        public readonly DesignKey Owner = owner;
        public ArchitectureSpec? Design;
        private char[][] _text = [];
        private int[] _length = []; // -1: not known (the section was the base's, or never seen)

        public void Reserve(int sections)
        {
            if (_length.Length >= sections) return;
            int from = _length.Length;
            Array.Resize(ref _text, sections);
            Array.Resize(ref _length, sections);
            for (int s = from; s < sections; s++) { _text[s] = new char[256]; _length[s] = -1; }
        }

        public bool Known(int s) => _length[s] >= 0;

        public void Forget(int s) => _length[s] = -1;

        public void AppendTo(StringBuilder sb, int s) => sb.Append(_text[s], 0, _length[s]);

        public void Remember(int s, StringBuilder sb, int start)
        {
            int n = sb.Length - start;
            if (_text[s].Length < n) _text[s] = new char[Math.Max(n, 2 * _text[s].Length)];
            sb.CopyTo(start, _text[s], 0, n);
            _length[s] = n;
        }
    }

    /// <summary>The key of a point whose design does not load: <c>invalid</c>, the base's digest and its sets as written, in their order.</summary>
    public string OfInvalid(DesignPoint point)
    {
        var sb = new StringBuilder(_invalidPrefix);
        foreach (var (k, v) in point.Sets) sb.Append("\n--set ").Append(k).Append('=').Append(v);
        return sb.ToString();
    }

    // The fast path: a section the point left as the base's (bound once, shared by reference) or equal to it by value.
    private bool SameAsBase(ArchitectureSpec d, int s) => _base is { } b && Same(d, b, s);

    // Whether section s of d equals that of b (by reference, else by record equality).
    private static bool Same(ArchitectureSpec d, ArchitectureSpec b, int s)
    {
        return s switch
        {
            0 => d.Name == b.Name && d.Target == b.Target && Equals(d.Technology, b.Technology) && Equals(d.Fpga, b.Fpga) &&
                 d.ClockMhz.Equals(b.ClockMhz) && d.Switches == b.Switches && d.Memory.Count == b.Memory.Count,
            1 => ReferenceEquals(d.Pe, b.Pe) || d.Pe == b.Pe,
            2 => d.Array == b.Array,
            3 => ReferenceEquals(d.Overrides, b.Overrides) || d.Overrides.SequenceEqual(b.Overrides),
            4 => d.Chip == b.Chip,
            _ => s - Fixed < b.Memory.Count && (ReferenceEquals(d.Memory[s - Fixed], b.Memory[s - Fixed]) || d.Memory[s - Fixed] == b.Memory[s - Fixed]),
        };
    }

    private static string Section(ArchitectureSpec d, int s)
    {
        var sb = new StringBuilder();
        Write(sb, d, s);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, ArchitectureSpec d, int s)
    {
        switch (s)
        {
            case 0: DesignText.Header(sb, d); break;
            case 1: DesignText.Pe(sb, d.Pe); break;
            case 2: DesignText.Array(sb, d.Array); break;
            case 3: DesignText.Overrides(sb, d.Overrides); break;
            case 4: DesignText.Chip(sb, d.Chip); break;
            default: DesignText.Level(sb, d.Memory[s - Fixed]); break;
        }
    }

    private static bool Equal(StringBuilder sb, int from, string text)
    {
        if (sb.Length - from != text.Length) return false;
        for (int i = 0; i < text.Length; i++) if (sb[from + i] != text[i]) return false;
        return true;
    }
}
