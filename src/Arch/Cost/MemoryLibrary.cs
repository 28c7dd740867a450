using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>Per-access energy, leakage and area of one memory instance at the target technology.</summary>
public readonly record struct MemoryInstanceCost(double ReadPjPerWord, double WritePjPerWord, double LeakageMw, double AreaMm2, string Source);

/// <summary>
/// SRAM (CACTI points, log-log in capacity and width), register files (Eyeriss ERT points) and DRAM (pJ/bit by type).
/// </summary>
public sealed class MemoryLibrary
{
    // SRAM characterization reference: the 32-bit CACTI sweep at 45 nm, 1.0 V.
    private const double SramNode = 45, SramVdd = 1.0, SramRefWidth = 32;
    private const double RfNode = 40, RfVdd = 1.0, RfRefWidth = 16;

    private readonly TechnologyScaling _scaling;
    private readonly double[] _cap, _read, _write, _area, _leak;
    private readonly double _slopeRead, _slopeWrite, _slopeArea, _slopeLeak;
    private readonly string _sramSource;
    private readonly double[] _rfCap, _rfRead;
    private readonly double _rfAreaPerBitMm2, _leakPerMm2;
    private readonly string _rfSource;
    private readonly Dictionary<string, SourcedValue> _dram;
    // indexed by SramCell: an array, not a dictionary keyed by the enum (JIT-compiled at every start-up)
    private readonly SourcedValue[] _cellLeak;
    // an SRAM level's source per cell type, built once: concatenated per level and design it was a sizeable share of the
    // bytes a sweep of distinct designs allocated
    private readonly string[] _sramSourceByCell;
    // the last levels this thread costed: a sweep's designs mostly share their memory levels (an array or PE sweep), and
    // a level's cost reads only the fields SameInputs compares, the node and the supply
    [ThreadStatic] private static Recent?[]? _recent;
    [ThreadStatic] private static int _recentNext;
    private const int RecentSlots = 4;

    private sealed record Recent(MemoryLibrary Library, MemoryLevelSpec Level, double NodeNm, double Vdd, MemoryInstanceCost Cost);

    /// <summary>Exponent of per-access energy in port width, fitted from the wide-port CACTI rows.</summary>
    public double WidthExponent { get; }

    internal MemoryLibrary(CsvTable sram, CsvTable dram, CsvTable cells, TechnologyScaling scaling)
    {
        _scaling = scaling;
        var basis = sram.Rows.Where(r => r.Text("kind") == "sram" && r.Number("width_bits") == SramRefWidth && r.Number("node_nm") == SramNode)
            .OrderBy(r => r.Number("capacity_bytes")).ToArray();
        if (basis.Length < 2) throw new InvalidDataException("sram_cacti.csv: need at least two 32-bit 45 nm SRAM rows");
        _cap = basis.Select(r => r.Number("capacity_bytes")).ToArray();
        _read = basis.Select(r => r.Number("read_pj")).ToArray();
        _write = basis.Select(r => r.Number("write_pj")).ToArray();
        _area = basis.Select(r => r.Number("area_mm2")).ToArray();
        _leak = basis.Select(r => r.Number("leakage_mw")).ToArray();
        _slopeRead = FitSlope(_cap, _read); _slopeWrite = FitSlope(_cap, _write);
        _slopeArea = FitSlope(_cap, _area); _slopeLeak = FitSlope(_cap, _leak);
        _sramSource = basis[0].Text("source");

        var wide = sram.Rows.Where(r => r.Text("kind") == "sram" && r.Number("width_bits") != SramRefWidth).ToArray();
        WidthExponent = wide.Length == 0 ? 1.0 : wide.Average(r =>
        {
            double e = r.Number("read_pj") * scaling.EnergyScale(r.Number("node_nm"), r.Number("vdd"), SramNode, SramVdd);
            return Math.Log(e / SramPoint(_read, _slopeRead, r.Number("capacity_bytes"))) / Math.Log(r.Number("width_bits") / SramRefWidth);
        });
        if (wide.Length > 0) _sramSource += $"; width exponent {WidthExponent:0.##} from " + string.Join(", ", wide.Select(r => r.Text("source")).Distinct());

        var rf = sram.Rows.Where(r => r.Text("kind") == "regfile").OrderBy(r => r.Number("capacity_bytes")).ToArray();
        _rfCap = rf.Select(r => r.Number("capacity_bytes")).ToArray();
        _rfRead = rf.Select(r => r.Number("read_pj") * RfRefWidth / r.Number("width_bits")).ToArray();
        var withArea = rf.First(r => r.Has("area_mm2"));
        _rfAreaPerBitMm2 = withArea.Number("area_mm2") / (withArea.Number("capacity_bytes") * 8);
        _leakPerMm2 = _leak[0] / _area[0];
        _rfSource = string.Join("; ", rf.Select(r => r.Text("source")).Distinct()) + "; leakage density of the smallest CACTI point";

        _cellLeak = CellLeakage(cells);
        _sramSourceByCell = new string[_cellLeak.Length];
        for (int i = 0; i < _cellLeak.Length; i++) _sramSourceByCell[i] = _sramSource + "; leakage: " + _cellLeak[i].Source;

        _dram = SourcedValue.ByKey(dram, r => r.Text("type").ToLowerInvariant(), "pj_per_bit");
    }

    /// <summary>The library loaded once from the embedded data.</summary>
    public static MemoryLibrary Default => CostData.Memory;

    /// <summary>Leakage of <paramref name="cell"/> relative to the itrs-hp cells of the CACTI sweep, with its source.</summary>
    public (double Factor, string Source) CellLeakage(SramCell cell) => (_cellLeak[(int)cell].Value, _cellLeak[(int)cell].Source);

    // Per cell type: (I_off + I_gate) * Vdd relative to itrs-hp at the sweep's node (CACTI's leakage is linear in all three).
    private static SourcedValue[] CellLeakage(CsvTable cells)
    {
        double Power(CsvRow r) => (r.Number("i_off_a_per_um") + r.Number("i_gate_a_per_um")) * r.Number("vdd");
        var rows = cells.Rows.Where(r => r.Number("node_nm") == SramNode).ToDictionary(r => r.Text("cell"), StringComparer.Ordinal);
        // every SramCell, so the result indexed by the enum is complete
        (string Name, SramCell Cell)[] all = [("hp", SramCell.Hp), ("lop", SramCell.Lop), ("lstp", SramCell.Lstp)];
        var result = new SourcedValue[all.Length];
        foreach (var (name, cell) in all)
        {
            if (!rows.TryGetValue(name, out var row) || !rows.TryGetValue("hp", out var hp))
                throw new InvalidDataException($"{cells.Name}: need a '{name}' and an 'hp' row at {SramNode} nm");
            double f = Power(row) / Power(hp);
            result[(int)cell] = new SourcedValue(f, cell == SramCell.Hp ? "itrs-hp cells" : $"itrs-{name} cells: x{f:0.####} of itrs-hp leakage ({row.Text("source")})");
        }
        return result;
    }

    /// <summary>DRAM types with an energy figure.</summary>
    public IReadOnlyCollection<string> DramTypes => _dram.Keys;

    /// <summary>pJ per bit for a DRAM type, or a <see cref="MantissaException"/> naming the known types.</summary>
    public (double PjPerBit, string Source) Dram(string type) =>
        _dram.TryGetValue(type.ToLowerInvariant(), out var d) ? (d.Value, d.Source)
            : throw new MantissaException($"unknown DRAM type '{type}'; known types: {string.Join(", ", _dram.Keys)}");

    /// <summary>One instance of <paramref name="level"/> (all its banks) at the given node and supply.</summary>
    public MemoryInstanceCost Evaluate(MemoryLevelSpec level, double nodeNm, double vdd)
    {
        var recent = _recent ??= new Recent?[RecentSlots];
        foreach (var r in recent)
            if (r is not null && ReferenceEquals(r.Library, this) && SameBits(r.NodeNm, nodeNm) && SameBits(r.Vdd, vdd) && SameInputs(r.Level, level))
                return r.Cost;
        var cost = Compute(level, nodeNm, vdd); // throws for a level the model rejects; nothing is kept then
        recent[_recentNext] = new Recent(this, level, nodeNm, vdd, cost);
        _recentNext = (_recentNext + 1) % RecentSlots;
        return cost;
    }

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    // Every field Compute reads (the name only names the level in its errors, which are never kept).
    private static bool SameInputs(MemoryLevelSpec a, MemoryLevelSpec b) => ReferenceEquals(a, b) ||
        a.Kind == b.Kind && a.DramType == b.DramType && a.CapacityBytes == b.CapacityBytes && a.WidthBits == b.WidthBits &&
        a.Banks == b.Banks && a.Cell == b.Cell;

    private MemoryInstanceCost Compute(MemoryLevelSpec level, double nodeNm, double vdd)
    {
        switch (level.Kind)
        {
            case MemoryKind.Dram:
            {
                var (pj, src) = Dram(level.DramType ?? throw new MantissaException($"memory level '{level.Name}': DRAM level without a DRAM type"));
                return new MemoryInstanceCost(pj * level.WidthBits, pj * level.WidthBits, 0, 0, src);
            }
            case MemoryKind.Sram:
            {
                int banks = Math.Max(1, level.Banks);
                double bankCap = Math.Max(1.0, (double)level.CapacityBytes / banks);
                double e = _scaling.EnergyScale(SramNode, SramVdd, nodeNm, vdd);
                double widthK = Math.Pow(level.WidthBits / SramRefWidth, WidthExponent);
                double area = banks * Tiled(_area, _slopeArea, bankCap) * _scaling.AreaScale(SramNode, nodeNm);
                double cellFactor = _cellLeak[(int)level.Cell].Value;
                double leak = banks * Tiled(_leak, _slopeLeak, bankCap) * e * cellFactor;
                // A bank larger than the largest characterized array is built from sub-arrays of that size: an access
                // costs one sub-array plus the H-tree that carries the word across the bank (about one bank side).
                double sub = Math.Min(bankCap, _cap[^1]);
                double read = SramPoint(_read, _slopeRead, sub) * widthK * e;
                double write = SramPoint(_write, _slopeWrite, sub) * widthK * e;
                string source = _sramSourceByCell[(int)level.Cell];
                if (bankCap > _cap[^1])
                {
                    var (cap, wireSrc) = CostData.Asic.Get("wire_cap_ff_per_um");
                    double sideUm = Math.Sqrt(area / banks) * 1000;
                    double htree = level.WidthBits * cap * sideUm * vdd * vdd * CostData.Asic["wire_activity"] * 1e-3;
                    read += htree; write += htree;
                    source += $"; sub-arrays of {_cap[^1] / 1024:0} KB + H-tree over {sideUm / 1000:0.##} mm ({wireSrc})";
                }
                return new MemoryInstanceCost(read, write, leak, area, source);
            }
            case MemoryKind.RegFile:
            {
                double cap = Math.Max(1.0, level.CapacityBytes);
                double e = _scaling.EnergyScale(RfNode, RfVdd, nodeNm, vdd);
                double read = ComponentLibrary.LogLog(_rfCap, _rfRead, cap) * level.WidthBits / RfRefWidth * e;
                double area = cap * 8 * _rfAreaPerBitMm2 * _scaling.AreaScale(RfNode, nodeNm);
                double leak = area * _leakPerMm2 * _scaling.EnergyScale(SramNode, SramVdd, nodeNm, vdd);
                return new MemoryInstanceCost(read, read, leak, area, _rfSource);
            }
            default:
                throw new MantissaException($"memory level '{level.Name}': unknown kind {level.Kind}");
        }
    }

    // Area and leakage of a bank: a bank larger than the largest characterized array is tiled from arrays of that size, so
    // both grow linearly beyond it (the sub-linear fit would make every extra MiB cheaper than the last).
    private double Tiled(double[] y, double slope, double cap) =>
        cap > _cap[^1] ? y[^1] * cap / _cap[^1] : SramPoint(y, slope, cap);

    // Inside the characterized range: piecewise log-log (exact at each point); outside: the least-squares power law over
    // all points, anchored at the nearest end.
    private double SramPoint(double[] y, double slope, double cap)
    {
        if (cap >= _cap[0] && cap <= _cap[^1]) return ComponentLibrary.LogLog(_cap, y, cap);
        return cap < _cap[0] ? y[0] * Math.Pow(cap / _cap[0], slope) : y[^1] * Math.Pow(cap / _cap[^1], slope);
    }

    private static double FitSlope(double[] x, double[] y)
    {
        double mx = x.Average(v => Math.Log(v)), my = y.Average(v => Math.Log(v));
        double num = 0, den = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = Math.Log(x[i]) - mx;
            num += dx * (Math.Log(y[i]) - my);
            den += dx * dx;
        }
        return num / den;
    }
}
