namespace Mantissa.Arch.Cost;

/// <summary>Stillmaker &amp; Baas (2017) node and supply scaling, interpolated log-log between tabulated nodes.</summary>
public sealed class TechnologyScaling
{
    private readonly NodeRow[] _rows; // sorted by node, descending

    private sealed record NodeRow(double Node, double A, double B, double C, double D3, double D2, double D1, double D0, double Area, double NominalVdd, string Source);

    internal TechnologyScaling(CsvTable table)
    {
        // a loop and an insertion sort, not OrderByDescending: LINQ with a double key is JIT-compiled at every start-up
        _rows = new NodeRow[table.Rows.Count];
        for (int i = 0; i < _rows.Length; i++)
        {
            var r = table.Rows[i];
            _rows[i] = new NodeRow(r.Number("node_nm"), r.Number("e_a"), r.Number("e_b"), r.Number("e_c"),
                r.Number("d_d3"), r.Number("d_d2"), r.Number("d_d1"), r.Number("d_d0"), r.Number("area_rel45"),
                r.Number("nominal_vdd"), r.Text("source"));
            for (int j = i; j > 0 && _rows[j - 1].Node < _rows[j].Node; j--) (_rows[j - 1], _rows[j]) = (_rows[j], _rows[j - 1]);
        }
    }

    /// <summary>The table loaded once from the embedded data.</summary>
    public static TechnologyScaling Default => CostData.Scaling;

    public double MinNodeNm => _rows[^1].Node;
    public double MaxNodeNm => _rows[0].Node;

    /// <summary>The nominal supply of <paramref name="nodeNm"/> (interpolated linearly in log node).</summary>
    public double NominalVdd(double nodeNm) => Interpolate(nodeNm, 0, static (r, _) => r.NominalVdd, logValue: false);

    /// <summary>Stillmaker's energy factor at <paramref name="nodeNm"/> and <paramref name="vdd"/> (only ratios are meaningful).</summary>
    public double EnergyFactor(double nodeNm, double vdd) =>
        Interpolate(nodeNm, vdd, static (r, v) => r.A * v * v + r.B * v + r.C, logValue: true);

    /// <summary>Stillmaker's delay factor (only ratios are meaningful).</summary>
    public double DelayFactor(double nodeNm, double vdd) =>
        Interpolate(nodeNm, vdd, static (r, v) => ((r.D3 * v + r.D2) * v + r.D1) * v + r.D0, logValue: true);

    /// <summary>Area relative to 45 nm.</summary>
    public double AreaFactor(double nodeNm) => Interpolate(nodeNm, 0, static (r, _) => r.Area, logValue: true);

    /// <summary>Multiplier taking an energy characterized at (fromNode, fromVdd) to (toNode, toVdd).</summary>
    public double EnergyScale(double fromNode, double fromVdd, double toNode, double toVdd) =>
        EnergyFactor(toNode, toVdd) / EnergyFactor(fromNode, fromVdd);

    /// <summary>Multiplier taking an area characterized at <paramref name="fromNode"/> to <paramref name="toNode"/>.</summary>
    public double AreaScale(double fromNode, double toNode) => AreaFactor(toNode) / AreaFactor(fromNode);

    // f takes the supply as an argument, not a captured variable, so a call allocates no closure (it runs per costed design)
    private double Interpolate(double node, double vdd, Func<NodeRow, double, double> f, bool logValue)
    {
        if (!(node >= MinNodeNm && node <= MaxNodeNm))
            throw new MantissaException($"technology node {node} nm is outside the scaling table ({MinNodeNm}..{MaxNodeNm} nm, Stillmaker & Baas 2017)");
        for (int i = 0; i < _rows.Length; i++)
        {
            if (node == _rows[i].Node) return f(_rows[i], vdd);
            if (i + 1 < _rows.Length && node < _rows[i].Node && node > _rows[i + 1].Node)
            {
                var hi = _rows[i]; var lo = _rows[i + 1];
                double t = (Math.Log(node) - Math.Log(lo.Node)) / (Math.Log(hi.Node) - Math.Log(lo.Node));
                double a = f(lo, vdd), b = f(hi, vdd);
                return logValue ? Math.Exp(Math.Log(a) + t * (Math.Log(b) - Math.Log(a))) : a + t * (b - a);
            }
        }
        throw new InvalidOperationException("unreachable: node within range but no bracketing rows");
    }
}
