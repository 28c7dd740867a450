using Mantissa.Arch.Numerics;
using Mantissa.Arch.Model;
using Mantissa.Arch.Cost.Chip;

namespace Mantissa.Arch.Cost;

/// <summary>ASIC cost: PE datapath composed from 45 nm primitives, memories from CACTI/DRAM tables, all scaled to the target node.</summary>
public static class AsicCostModel
{
    /// <summary>The per-action energies, leakage and area the simulator consumes.</summary>
    public static ArchCost Evaluate(ArchitectureSpec arch) => ClockFree(arch).CostAt(arch.ClockMhz);

    /// <summary>The full report: <see cref="ArchCost"/> plus peak throughput per format, TOPS/W and TOPS/mm².</summary>
    /// <param name="calibration">Global factors on the PE datapath's logic and registers (<c>mantissa cost --calibrated</c>:
    /// <see cref="CalibrationFactors.Applied"/>), or null for the primitive library's values, which the simulator uses.</param>
    public static CostReport Report(ArchitectureSpec arch, CalibrationFactors? calibration = null) => ClockFree(arch, calibration).Report(arch);

    /// <summary>The part of the cost the clock does not change (area, per-access energies, leakage power), from which
    /// <see cref="AsicClockFreeCost.Report"/> completes the cost at a design's clock.</summary>
    /// <remarks>The clock enters only there: leakage per cycle, the clock tree's power and the peak figures. A <c>chip:</c>
    /// section's DRAM PHYs are sized from the DRAM bandwidth in GB/s, which this part does read.</remarks>
    internal static AsicClockFreeCost ClockFree(ArchitectureSpec arch, CalibrationFactors? calibration = null)
    {
        var tech = arch.Technology ?? throw new MantissaException($"{Where(arch)}an ASIC target needs a technology (node_nm, vdd)");
        var scaling = CostData.Scaling;
        if (!(tech.NodeNm >= scaling.MinNodeNm && tech.NodeNm <= scaling.MaxNodeNm))
            throw new MantissaException($"{Where(arch)}technology.node_nm: {tech.NodeNm} nm is outside the scaling table " +
                                        $"({scaling.MinNodeNm}..{scaling.MaxNodeNm} nm, Stillmaker & Baas 2017)");
        double vdd = tech.Vdd > 0 ? tech.Vdd : scaling.NominalVdd(tech.NodeNm);
        if (!(vdd >= 0.4 && vdd <= 1.5))
            throw new MantissaException($"{Where(arch)}technology.vdd: {vdd} V is outside 0.4..1.5 V, where the scaling polynomials are used");
        double eScale = scaling.EnergyScale(ComponentLibrary.ReferenceNodeNm, ComponentLibrary.ReferenceVdd, tech.NodeNm, vdd);
        if (!(eScale > 0)) throw new MantissaException($"{Where(arch)}technology.vdd: {vdd} V is outside the range of the scaling model at {tech.NodeNm} nm");
        double aScale = scaling.AreaScale(ComponentLibrary.ReferenceNodeNm, tech.NodeNm);
        var overrides = new CostOverrides(arch);
        var c = CostData.Asic;

        var dp = PeDatapath.For(arch);
        bool hasChip = arch.Chip is not null;
        // sized for the rows below (PE components, wires and the PE's three, three per level, a chip: section's): growing
        // them was a sizeable share of costing a design in a sweep of distinct designs
        var energy = new List<ActionEnergy>(dp.Components.Count + 4 + 3 * arch.Memory.Count + (hasChip ? ChipRowsReserved : 0));
        var areas = new List<AreaItem>(dp.Components.Count + 2 + arch.Memory.Count + (hasChip ? ChipRowsReserved : 0));
        int pes = arch.PeCount;

        // Every component is priced from the primitive library; calibrated, times the global factor of its part (logic or
        // registers) for area and energy: the same four factors for every PE kind (docs/cost.md, "PE calibration").
        var pe = PeRows.Of(dp.Components, eScale, aScale, calibration);
        energy.AddRange(pe.Energy);
        for (int i = 0; i < pe.Energy.Length; i++)
            areas.Add(new AreaItem(pe.Energy[i].Component, pes, pes * pe.AreaUm2[i] * 1e-6, pe.Energy[i].Source));
        double peAreaModel = pe.AreaModel, peEnergyModel = pe.EnergyModel;

        string areaSrc = calibration is null ? ComposedAreaSource : CalibratedAreaSource;
        double peArea = overrides.Apply("pe.area_um2", peAreaModel, ref areaSrc);
        if (overrides.Has("pe.area_um2"))
        {
            areas.RemoveAll(a => a.Component.StartsWith("pe.", StringComparison.Ordinal));
            areas.Add(new AreaItem("pe", pes, pes * peArea * 1e-6, areaSrc));
        }

        // Operands forwarded to the neighbouring PE each cycle travel one PE pitch.
        var (capFfPerUm, capSrc) = c.Get("wire_cap_ff_per_um");
        double pitchUm = Math.Sqrt(peArea);
        double wireBits = ForwardedBits(arch) / dp.CyclesPerPass(arch.Pe.DotWidth);
        double wirePj = wireBits * capFfPerUm * pitchUm * vdd * vdd * c["wire_activity"] * 1e-3;
        energy.Add(new ActionEnergy("pe.forward_wires", "active_cycle", wirePj, WireText.Of(capSrc, wireBits, pitchUm)));

        string activeSrc = "sum of pe.* rows";
        double active = overrides.Apply("pe.energy_pj_per_cycle", peEnergyModel + wirePj, ref activeSrc);
        var (idleFrac, idleSrc0) = c.Get("idle_fraction");
        string idleSrc = idleSrc0;
        double idle = overrides.Apply("pe.idle_energy_pj_per_cycle", active * idleFrac, ref idleSrc);
        var (leakRatio, leakSrc0) = c.Get("pe_leakage_to_dynamic");
        string leakSrc = leakSrc0;
        double peLeakMw = overrides.Apply("pe.leakage_mw", leakRatio * active * c["pe_leakage_ref_mhz"] * 1e-3, ref leakSrc);
        energy.Add(new ActionEnergy("pe", "active_cycle", active, activeSrc));
        energy.Add(new ActionEnergy("pe", "idle_cycle", idle, idleSrc));
        // leakage rows are per cycle, so they are filled in at the clock (AsicClockFreeCost.Report)
        var leakRows = new List<(int Row, double Mw)>(1 + arch.Memory.Count + (hasChip ? ChipRowsReserved : 0)) { (energy.Count, peLeakMw) };
        energy.Add(new ActionEnergy("pe", "leak_cycle", double.NaN, leakSrc));

        if (arch.Array.VectorLanes is { } lanes) areas.Add(VectorUnitArea(lanes, aScale));

        var levels = new List<LevelCost>(arch.Memory.Count);
        double leakage = pes * peLeakMw;
        for (int i = 0; i < arch.Memory.Count; i++)
        {
            var m = arch.Memory[i];
            int instances = m.PerPe ? pes : 1;
            // the level's rows as the design before had them when it had the same level (LevelRows), or with its overrides
            var rows = arch.Overrides.Count == 0 ? LevelRows.Of(i, m, tech.NodeNm, vdd, instances)
                : LevelRows.Overridden(m, tech.NodeNm, vdd, instances, overrides);
            levels.Add(rows.Cost);
            energy.Add(rows.Read);
            energy.Add(rows.Write);
            if (rows.Leak is not null)
            {
                leakRows.Add((energy.Count, rows.Cost.LeakageMw));
                energy.Add(rows.Leak);
            }
            if (rows.Area is not null) areas.Add(rows.Area);
            leakage += rows.Cost.LeakageMw;
        }

        // Whole-chip components (chip: section) span the array and memories priced so far.
        var chip = ChipCostModel.Evaluate(arch, dp, tech.NodeNm, vdd, areas, peArea > 0 ? peLeakMw / peArea : 0);
        areas.AddRange(chip.Areas);
        int chipRow = energy.Count;
        energy.AddRange(chip.Energies);
        foreach (var (row, mw) in chip.ConstantPowerRows) leakRows.Add((chipRow + row, mw));
        leakage += chip.LeakageMw;

        double totalArea = 0;
        foreach (var a in areas) totalArea += a.AreaMm2; // in order, as Enumerable.Sum adds
        string totalAreaSrc = "sum of the area breakdown", totalLeakSrc = "PEs plus memory levels";
        totalArea = overrides.Apply("area_mm2", totalArea, ref totalAreaSrc);
        leakage = overrides.Apply("leakage_mw", leakage, ref totalLeakSrc);
        var cost = new ArchCost(active, idle, levels, leakage, totalArea, energy, areas) { PeAreaUm2 = peArea, PeLeakageMw = peLeakMw };
        return new AsicClockFreeCost(cost, leakRows, chip, chipRow, tech.NodeNm, vdd, dp.MacsPerCycle, overrides.Applied);
    }

    /// <summary>The PE datapath's rows at one node and supply, shared by the designs that have them.</summary>
    /// <remarks>A sweep's consecutive designs mostly share their datapath (an array-size sweep), so each thread keeps the
    /// last: its energy rows are shared, its area rows differ only in the PE count.</remarks>
    private sealed class PeRows
    {
        public required IReadOnlyList<DatapathComponent> Components { get; init; }
        public required double EnergyScale { get; init; }
        public required double AreaScale { get; init; }
        public required CalibrationFactors? Calibration { get; init; }
        public required ActionEnergy[] Energy { get; init; }
        // one PE's area of each component (µm²), in the order of Energy, whose rows name the component and the source
        public required double[] AreaUm2 { get; init; }
        public required double AreaModel { get; init; }
        public required double EnergyModel { get; init; }

        [ThreadStatic] private static PeRows? _last;

        public static PeRows Of(IReadOnlyList<DatapathComponent> components, double eScale, double aScale, CalibrationFactors? calibration)
        {
            var last = _last;
            if (last is not null && ReferenceEquals(last.Components, components) && ReferenceEquals(last.Calibration, calibration) &&
                BitConverter.DoubleToInt64Bits(last.EnergyScale) == BitConverter.DoubleToInt64Bits(eScale) &&
                BitConverter.DoubleToInt64Bits(last.AreaScale) == BitConverter.DoubleToInt64Bits(aScale))
                return last;
            var energy = new ActionEnergy[components.Count];
            var area = new double[components.Count];
            double areaModel = 0, energyModel = 0;
            for (int i = 0; i < components.Count; i++)
            {
                var comp = components[i];
                double ka = calibration?.Of(CalibrationMetric.Area, comp.Part) ?? 1, ke = calibration?.Of(CalibrationMetric.Energy, comp.Part) ?? 1;
                string src = calibration is null ? comp.Source
                    : $"{comp.Source}; PE calibration, {(comp.Part == DatapathPart.Logic ? "logic" : "registers")}: x{ka:0.###} area, x{ke:0.###} energy ({CalibrationFactors.Source})";
                double e = comp.EnergyPj * eScale * ke, a = comp.AreaUm2 * aScale * ka;
                energyModel += e; areaModel += a;
                energy[i] = new ActionEnergy(comp.TableName, "active_cycle", e, src);
                area[i] = a;
            }
            var rows = new PeRows
            {
                Components = components, EnergyScale = eScale, AreaScale = aScale, Calibration = calibration,
                Energy = energy, AreaUm2 = area, AreaModel = areaModel, EnergyModel = energyModel,
            };
            _last = rows;
            return rows;
        }
    }

    // One memory level's rows at one node, supply and instance count: its cost, read and write energy rows, leakage row
    // (when it leaks) and area row (on chip). Without overrides they are kept per thread and level position for the last
    // design costed: a sweep's consecutive designs mostly share their levels (an array or PE sweep), and the rows are
    // immutable records, so designs share them instead of building them per level each. The level compares by value (a
    // bandwidth change misses: time, not results).
    private sealed record LevelRows(MemoryLevelSpec Level, double NodeNm, double Vdd, int Instances,
        LevelCost Cost, ActionEnergy Read, ActionEnergy Write, ActionEnergy? Leak, AreaItem? Area)
    {
        [ThreadStatic] private static LevelRows?[]? _last;

        public static LevelRows Of(int index, MemoryLevelSpec m, double nodeNm, double vdd, int instances)
        {
            var last = _last is { } known && index < known.Length ? known[index] : null;
            if (last is not null && last.Instances == instances && last.Level == m &&
                BitConverter.DoubleToInt64Bits(last.NodeNm) == BitConverter.DoubleToInt64Bits(nodeNm) &&
                BitConverter.DoubleToInt64Bits(last.Vdd) == BitConverter.DoubleToInt64Bits(vdd))
                return last;
            var mc = CostData.Memory.Evaluate(m, nodeNm, vdd);
            var rows = Build(m, nodeNm, vdd, instances, mc.ReadPjPerWord, mc.WritePjPerWord, mc.LeakageMw * instances,
                mc.AreaMm2 * instances, mc.Source, mc.Source, mc.Source, mc.Source);
            if (_last is null || _last.Length <= index) Array.Resize(ref _last, Math.Max(index + 1, 4));
            _last[index] = rows;
            return rows;
        }

        /// <summary>The rows with the design's <c>memory.NAME.*</c> overrides applied (built per design, not kept).</summary>
        public static LevelRows Overridden(MemoryLevelSpec m, double nodeNm, double vdd, int instances, CostOverrides overrides)
        {
            var mc = CostData.Memory.Evaluate(m, nodeNm, vdd);
            string rs = mc.Source, ws = mc.Source, ls = mc.Source, @as = mc.Source;
            string p = "memory." + m.Name + ".";
            double read = overrides.Apply(p + "read_pj", mc.ReadPjPerWord, ref rs);
            double write = overrides.Apply(p + "write_pj", mc.WritePjPerWord, ref ws);
            double leak = overrides.Apply(p + "leakage_mw", mc.LeakageMw * instances, ref ls);
            double area = overrides.Apply(p + "area_mm2", mc.AreaMm2 * instances, ref @as);
            return Build(m, nodeNm, vdd, instances, read, write, leak, area, rs, ws, ls, @as);
        }

        private static LevelRows Build(MemoryLevelSpec m, double nodeNm, double vdd, int instances, double read, double write,
            double leak, double area, string readSource, string writeSource, string leakSource, string areaSource) =>
            new(m, nodeNm, vdd, instances, new LevelCost(m.Name, read, write, leak, area),
                new ActionEnergy(m.Name, AccessNames.Read(m.WidthBits), read, readSource),
                new ActionEnergy(m.Name, AccessNames.Write(m.WidthBits), write, writeSource),
                leak > 0 ? new ActionEnergy(m.Name, "leak_cycle", double.NaN, leakSource) : null,
                m.Kind != MemoryKind.Dram ? new AreaItem(m.Name, instances, area, areaSource) : null);
    }

    // The forwarded-wire row's source, kept for the last value each thread printed: it differs only with the PE's pitch
    // and operand widths, which a sweep's consecutive designs mostly share.
    private sealed record WireText(string CapSource, double Bits, double PitchUm, string Text)
    {
        [ThreadStatic] private static WireText? _last;

        public static string Of(string capSource, double bits, double pitchUm)
        {
            var last = _last;
            if (last is not null && ReferenceEquals(last.CapSource, capSource) &&
                BitConverter.DoubleToInt64Bits(last.Bits) == BitConverter.DoubleToInt64Bits(bits) &&
                BitConverter.DoubleToInt64Bits(last.PitchUm) == BitConverter.DoubleToInt64Bits(pitchUm))
                return last.Text;
            string text = capSource + $"; {bits:0.##} bits per cycle over one {pitchUm:0.#} um pitch";
            _last = new WireText(capSource, bits, pitchUm, text);
            return text;
        }
    }

    // the PE area row's source, without and with calibration (constants: a string built per costed design was one of its allocations)
    private const string ComposedAreaSource = "composed datapath (45 nm primitives, Stillmaker & Baas area scaling)";
    private const string CalibratedAreaSource = "composed datapath (45 nm primitives, Stillmaker & Baas area scaling, PE calibration factors)";

    // The memory levels' action names (read_512b, ...), built once per width.
    private static class AccessNames
    {
        private const int Cached = 8192;
        private static readonly string?[] ReadNames = new string?[Cached + 1], WriteNames = new string?[Cached + 1];

        // a race builds a name twice, both equal
        public static string Read(int bits) => (uint)bits <= Cached ? ReadNames[bits] ??= $"read_{bits}b" : $"read_{bits}b";
        public static string Write(int bits) => (uint)bits <= Cached ? WriteNames[bits] ??= $"write_{bits}b" : $"write_{bits}b";
    }

    // Rows a chip: section adds at most to the energy table and the area breakdown (room reserved when the design has one;
    // more only grows the list).
    private const int ChipRowsReserved = 16;

    // The configured formats, then the others the kind runs natively, each at the cycle model's MACs per cycle. A loop,
    // not Prepend/Select over (format, format, double) tuples: those are JIT-compiled at every start-up.
    internal static IReadOnlyList<PeakThroughput> Peak(ArchitectureSpec arch, double macsPerPe, double peakPowerMw)
    {
        var pe = arch.Pe;
        var rows = new List<PeakThroughput> { PeakAt(arch, pe.WeightFormat, pe.ActivationFormat, macsPerPe, peakPowerMw) };
        foreach (var (w, a) in pe.Kind.OtherFormats(pe))
            rows.Add(PeakAt(arch, w, a, PeCycleModel.For(pe, w, a).MacsPerCycle, peakPowerMw));
        return rows;
    }

    private static PeakThroughput PeakAt(ArchitectureSpec arch, NumberFormat weight, NumberFormat activation, double macsPerPe, double peakPowerMw)
    {
        double macs = macsPerPe * arch.PeCount;
        double tops = 2 * macs * arch.ClockMhz * 1e6 / 1e12;
        return new PeakThroughput(weight.Name, activation.Name, macsPerPe, macs, tops, peakPowerMw > 0 ? tops / (peakPowerMw * 1e-3) : 0);
    }

    // Per PE and cycle: weight-stationary passes activations on and partial sums down; output-stationary passes both
    // operands; input-stationary passes weights and partial sums.
    internal static double ForwardedBits(ArchitectureSpec arch)
    {
        var pe = arch.Pe;
        int k = Math.Max(1, pe.DotWidth);
        int w = pe.WeightFormat.Bits, a = pe.ActivationFormat.Bits, acc = pe.Accumulator.Bits;
        return arch.Array.Dataflow switch
        {
            Dataflow.WS => k * a + acc,
            Dataflow.OS => k * (a + w),
            _ => k * w + acc,
        };
    }

    // A vector lane is one fp32 adder and one fp32 multiplier: softmax and norms reduce and divide in fp32 (exp, rsqrt and
    // division as multiply-add iterations on the same pair). Its energy is not separated: a vector op is charged one PE
    // active cycle, as without a vector unit. The FPGA model maps the same structure onto LUTs and DSPs.
    internal static readonly Structure VectorLane = P.FpAdd(24) + P.FpMul(24, 24);

    internal static AreaItem VectorUnitArea(int lanes, double areaScale)
    {
        var lib = ComponentLibrary.Default;
        return new AreaItem("vector_unit", lanes, lanes * lib.Cost(VectorLane).AreaUm2 * areaScale * 1e-6,
            "per lane fp32 adder + fp32 multiplier: " + lib.SourcesOf(VectorLane) + "; Stillmaker & Baas area scaling");
    }

    // Leakage energy of one clock cycle (pJ): mW / MHz = nJ.
    internal static double LeakPerCycle(double mw, ArchitectureSpec arch) => LeakPerCycle(mw, arch.ClockMhz);

    internal static double LeakPerCycle(double mw, double clockMhz) => clockMhz > 0 ? mw / clockMhz * 1e3 : 0;

    private static string Where(ArchitectureSpec arch) => arch.SourceFile is null ? "" : arch.SourceFile + ": ";
}
