namespace Mantissa.Arch.Cost;

/// <summary>Energy (pJ) and area (µm²) of one hardware primitive at the 45 nm / 0.9 V reference.</summary>
public readonly record struct PrimitiveCost(double EnergyPj, double AreaUm2)
{
    public static PrimitiveCost operator *(PrimitiveCost c, double k) => new(c.EnergyPj * k, c.AreaUm2 * k);
    public static PrimitiveCost operator +(PrimitiveCost a, PrimitiveCost b) => new(a.EnergyPj + b.EnergyPj, a.AreaUm2 + b.AreaUm2);
}

/// <summary>
/// Datapath primitives at the reference node (45 nm, 0.9 V: Horowitz ISSCC 2014). Multi-point primitives are interpolated
/// log-log between their data rows (exact at every row); single-point ones scale with width by the rule each method names.
/// </summary>
public sealed class ComponentLibrary
{
    public const double ReferenceNodeNm = 45;
    public const double ReferenceVdd = 0.9;

    private readonly Dictionary<string, Curve> _curves;

    // Plain loops over a class row, not LINQ over a value tuple: each LINQ instantiation over a value type is JIT-compiled
    // at start-up (ReadyToRun cannot precompile it across assemblies), which cost `simulate` ~70 methods here.
    internal ComponentLibrary(CsvTable table, TechnologyScaling scaling)
    {
        var rows = new List<Row>(table.Rows.Count);
        foreach (var r in table.Rows)
        {
            double node = r.Number("node_nm"), vdd = r.Number("vdd");
            rows.Add(new Row(r.Text("primitive"), r.Text("library"), r.Number("size"),
                r.Number("energy_pj") * scaling.EnergyScale(node, vdd, ReferenceNodeNm, ReferenceVdd),
                r.Number("area_um2") * scaling.AreaScale(node, ReferenceNodeNm), r.Text("source")));
        }

        // Aladdin's characterization (1 ns, registered) is costlier than Horowitz's; the 32-bit adder both tabulate puts
        // Aladdin-only primitives on the Horowitz basis.
        var h = SingleRow(rows, "int_add", 32);
        var al = SingleRow(rows, "aladdin_int_add", null);
        AladdinEnergyRatio = h.E / al.E;
        AladdinAreaRatio = h.A / al.A;
        string note = $" x Horowitz/Aladdin 32b-adder ratio ({AladdinEnergyRatio:0.###} energy, {AladdinAreaRatio:0.###} area)";

        // The adder ratio shrinks Aladdin's register below a real flip-flop; a register bit is never smaller than one.
        var dff = SingleRow(rows, "dff_cell", null);
        DffAreaUm2 = dff.A;
        _dffSource = dff.Source;

        var groups = new Dictionary<string, List<Row>>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (r.Name is "aladdin_int_add" or "dff_cell") continue;
            if (!groups.TryGetValue(r.Name, out var g)) groups[r.Name] = g = [];
            g.Add(r.Library == "aladdin"
                ? r with { E = r.E * AladdinEnergyRatio, A = r.A * AladdinAreaRatio, Source = r.Source + note } : r);
        }
        _curves = new Dictionary<string, Curve>(groups.Count);
        foreach (var (name, g) in groups)
        {
            var pts = g.ToArray();
            for (int i = 1; i < pts.Length; i++) // stable insertion sort by size (a handful of rows)
                for (int j = i; j > 0 && pts[j - 1].Size > pts[j].Size; j--) (pts[j - 1], pts[j]) = (pts[j], pts[j - 1]);
            var sizes = new double[pts.Length]; var e = new double[pts.Length]; var a = new double[pts.Length];
            var sources = new List<string>();
            for (int i = 0; i < pts.Length; i++)
            {
                sizes[i] = pts[i].Size; e[i] = pts[i].E; a[i] = pts[i].A;
                if (!sources.Contains(pts[i].Source)) sources.Add(pts[i].Source);
            }
            _curves[name] = new Curve(sizes, e, a, string.Join("; ", sources));
        }
    }

    /// <summary>The one row named <paramref name="name"/> (of <paramref name="size"/> when given); the embedded data has
    /// exactly one.</summary>
    private static Row SingleRow(List<Row> rows, string name, double? size)
    {
        Row? found = null;
        foreach (var r in rows)
        {
            if (r.Name != name || (size is { } s && r.Size != s)) continue;
            if (found is not null) throw new InvalidOperationException($"component data has more than one {name} row");
            found = r;
        }
        return found ?? throw new InvalidOperationException($"component data has no {name} row");
    }

    private sealed record Row(string Name, string Library, double Size, double E, double A, string Source);

    /// <summary>Horowitz/Aladdin energy ratio of the 32-bit adder, applied to Aladdin-only primitives.</summary>
    public double AladdinEnergyRatio { get; }

    /// <summary>Horowitz/Aladdin area ratio of the 32-bit adder, applied to Aladdin-only primitives.</summary>
    public double AladdinAreaRatio { get; }

    /// <summary>Area of one flip-flop at the reference node (µm²): the floor of a register bit's area.</summary>
    public double DffAreaUm2 { get; }

    private readonly string _dffSource;

    /// <summary>The library loaded once from the embedded data.</summary>
    public static ComponentLibrary Default => CostData.Library;

    /// <summary>Integer a×b multiplier: ∝ bit-products a·b (Horowitz 8b and 32b rows); below eight partial-product rows the
    /// energy per bit follows the reduction tree's depth (<see cref="MultiplierDepth"/>).</summary>
    public PrimitiveCost IntMultiplier(int a, int b)
    {
        var c = Eval("int_mult", (double)a * b);
        return c with { EnergyPj = c.EnergyPj * MultiplierDepth.EnergyFactor(a, b) };
    }

    /// <summary>Integer adder of <paramref name="bits"/> (Horowitz 8/16/32b rows).</summary>
    public PrimitiveCost Adder(int bits) => Eval("int_add", bits);

    /// <summary>Floating-point multiplier by significand bit-products (m_a+1)(m_b+1) (Horowitz FP16 and FP32 rows).</summary>
    public PrimitiveCost FpMultiplier(int sigA, int sigB) => Eval("fp_mul", (double)sigA * sigB);

    /// <summary>Floating-point adder (alignment, add, normalize, round) by significand width (Horowitz FP16 and FP32 rows).</summary>
    public PrimitiveCost FpAdder(int sig) => Eval("fp_add", sig);

    /// <summary>
    /// Register (flip-flops) of <paramref name="bits"/>, written once per cycle: energy linear in width (Aladdin), area linear
    /// and at least one flip-flop cell per bit (NanGate 45 nm DFF_X1).
    /// </summary>
    public PrimitiveCost Register(double bits)
    {
        var c = Linear("register", bits);
        return c with { AreaUm2 = Math.Max(c.AreaUm2, bits * DffAreaUm2) };
    }

    /// <summary>
    /// Shifter with a <paramref name="bits"/>-wide output, anchored at Aladdin's 32b barrel shifter (5 stages of 32 2:1 muxes):
    /// cost ∝ mux cells. A full barrel shifter (input as wide as the output) has log2 w stages of w cells; one that places an
    /// <paramref name="inputBits"/>-wide value at one of (w − n + 1) positions has ⌈log2(w − n + 1)⌉ stages, stage i only
    /// n + 2^(i+1) − 1 cells wide (the value grows by the shift each stage adds).
    /// </summary>
    public PrimitiveCost Shifter(int bits, int inputBits = 0)
    {
        var c = _curves["shifter"];
        double w0 = c.Sizes[0];
        double k = ShifterCells(Math.Max(bits, 2), inputBits) / (w0 * Math.Log2(w0));
        return new PrimitiveCost(c.E[0] * k, c.A[0] * k);
    }

    private static double ShifterCells(int w, int n)
    {
        if (n <= 0 || n >= w) return w * Math.Log2(w);
        int stages = (int)Math.Ceiling(Math.Log2(w - n + 1));
        double cells = 0;
        for (int i = 0; i < stages; i++) cells += Math.Min(w, n + (2 << i) - 1);
        return cells;
    }

    /// <summary>Leading-zero detector / comparator of <paramref name="bits"/>: linear in width (Aladdin comparator).</summary>
    public PrimitiveCost LeadingZeroDetector(int bits) => Linear("comparator", bits);

    /// <summary>An n:1 multiplexer of <paramref name="bits"/>: (n−1) 2:1 mux cells per bit (Aladdin bitwise cell).</summary>
    public PrimitiveCost Mux(int inputs, int bits) => Linear("bitwise", (double)Math.Max(inputs - 1, 0) * bits);

    /// <summary>Cost of one instance of a structure (sum of its primitives).</summary>
    public PrimitiveCost Cost(Structure s)
    {
        var total = new PrimitiveCost(0, 0);
        foreach (var u in s.Items)
        {
            var c = Cost(u);
            total += new PrimitiveCost(c.EnergyPj * u.EnergyK, c.AreaUm2 * u.AreaK);
        }
        return total;
    }

    /// <summary>Cost of one primitive.</summary>
    public PrimitiveCost Cost(PrimitiveUse u) => u.Kind switch
    {
        PrimitiveKind.IntMultiplier => IntMultiplier(u.A, u.B),
        PrimitiveKind.Adder => Adder(u.A),
        PrimitiveKind.FpMultiplier => FpMultiplier(u.A, u.B),
        PrimitiveKind.FpAdder => FpAdder(u.A),
        PrimitiveKind.Register => Register(u.A),
        PrimitiveKind.Shifter => Shifter(u.A, u.B),
        PrimitiveKind.LeadingZeroDetector => LeadingZeroDetector(u.A),
        PrimitiveKind.Mux => Mux(u.A, u.B),
        _ => throw new ArgumentOutOfRangeException(nameof(u)),
    };

    /// <summary>The data-file sources of every primitive in a structure.</summary>
    public string SourcesOf(Structure s)
    {
        if (s.Items.Count == 1) return SourceOf(s.Items[0]);
        var sources = new List<string>(s.Items.Count);
        for (int i = 0; i < s.Items.Count; i++)
            if (SourceOf(s.Items[i]) is var src && !sources.Contains(src)) sources.Add(src);
        return string.Join("; ", sources);
    }

    // A multiplier below eight partial-product rows also cites the depth rule its energy follows.
    private string SourceOf(PrimitiveUse u) =>
        u.Kind == PrimitiveKind.IntMultiplier && MultiplierDepth.EnergyFactor(u.A, u.B) < 1
            ? _kindSources[(int)u.Kind] + "; " + MultiplierDepth.Source : _kindSources[(int)u.Kind];

    private string[]? _kindSourcesCache;
    private string[] _kindSources => _kindSourcesCache ??= KindSources();

    private string[] KindSources()
    {
        var kinds = Enum.GetValues<PrimitiveKind>();
        var sources = new string[kinds.Length];
        for (int i = 0; i < kinds.Length; i++) sources[i] = SourceOf(DataName(kinds[i]));
        return sources;
    }

    private static string DataName(PrimitiveKind k) => k switch
    {
        PrimitiveKind.IntMultiplier => "int_mult",
        PrimitiveKind.Adder => "int_add",
        PrimitiveKind.FpMultiplier => "fp_mul",
        PrimitiveKind.FpAdder => "fp_add",
        PrimitiveKind.Register => "register",
        PrimitiveKind.Shifter => "shifter",
        PrimitiveKind.LeadingZeroDetector => "comparator",
        _ => "bitwise",
    };

    /// <summary>The sources behind one primitive's rows (for the energy table).</summary>
    public string SourceOf(string primitive) => primitive == "register" ? _curves[primitive].Source + "; area floor: " + _dffSource : _curves[primitive].Source;

    private PrimitiveCost Linear(string name, double size)
    {
        var c = _curves[name];
        double k = size / c.Sizes[0];
        return new PrimitiveCost(c.E[0] * k, c.A[0] * k);
    }

    private PrimitiveCost Eval(string name, double size)
    {
        var c = _curves[name];
        return new PrimitiveCost(LogLog(c.Sizes, c.E, size), LogLog(c.Sizes, c.A, size));
    }

    /// <summary>Piecewise power law through the points; beyond the ends the nearest segment's exponent continues.</summary>
    internal static double LogLog(double[] x, double[] y, double at)
    {
        if (at <= 0) return 0;
        if (x.Length == 1) return y[0] * at / x[0];
        int i = 0;
        while (i < x.Length - 2 && at > x[i + 1]) i++;
        if (at == x[i]) return y[i];
        if (at == x[i + 1]) return y[i + 1];
        double p = Math.Log(y[i + 1] / y[i]) / Math.Log(x[i + 1] / x[i]);
        return y[i] * Math.Pow(at / x[i], p);
    }

    private sealed record Curve(double[] Sizes, double[] E, double[] A, string Source);
}
