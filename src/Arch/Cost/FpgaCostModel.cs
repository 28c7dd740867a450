using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>
/// FPGA mapping: LUT/FF/DSP per PE from its datapath structure (FINN-R LUT multipliers, DSP packing of low-bit multiplies),
/// buffers on BRAM18/URAM by shape, the Vitis platform's own resources and HBM ports (a full-device report's rows), a device
/// fit and clock estimate, and energy from the ASIC model at the device's node
/// times the FPGA/ASIC dynamic-power gap (Kuon &amp; Rose 2007).
/// </summary>
public static class FpgaCostModel
{
    /// <summary>Resources, utilization, fit, clock and the simulator's <see cref="ArchCost"/>.</summary>
    public static FpgaReport Evaluate(ArchitectureSpec arch)
    {
        var device = FpgaDeviceTable.Get(arch.Fpga?.Device ?? throw new MantissaException($"{Where(arch)}an FPGA target needs a device"));
        var k = CostData.Fpga;
        var overrides = new CostOverrides(arch);
        var dp = PeDatapath.For(arch);
        int pes = arch.PeCount;
        var breakdown = new List<FpgaResourceItem>();

        foreach (var comp in dp.Components)
        {
            var r = new FpgaResources();
            foreach (var u in comp.Structure.Items) r += MapPrimitive(u, comp.Count * pes, device);
            breakdown.Add(new FpgaResourceItem(comp.TableName, r, string.Join("; ", comp.Structure.Items.Select(u => MappingRule(u)).Distinct())));
        }
        PinPeResources(breakdown, overrides, pes);
        var (lutBase, baseSrc) = k.Get("mvau_base_luts");
        double lutFactor = k["mvau_lut_factor"];
        double logicLuts = breakdown.Sum(b => b.Used.Luts);
        breakdown.Add(new FpgaResourceItem("control_overhead", new FpgaResources(lutBase + (lutFactor - 1) * logicLuts, 0, 0, 0, 0), baseSrc));

        // The vector unit: the ASIC model's lane (fp32 adder + fp32 multiplier) mapped like the PE's primitives, with its two
        // operands and result registered (1 FF per bit), as a lane beside the FINN-style MVAU, outside its control rule.
        if (arch.Array.VectorLanes is { } lanes)
        {
            var r = new FpgaResources(0, lanes * 3.0 * 32, 0, 0, 0);
            foreach (var u in AsicCostModel.VectorLane.Items) r += MapPrimitive(u, lanes, device);
            breakdown.Add(new FpgaResourceItem("vector_unit", r, "per lane fp32 adder + fp32 multiplier + 3 x 32-bit operand/result registers: " +
                string.Join("; ", AsicCostModel.VectorLane.Items.Select(MappingRule).Append("1 FF per bit").Distinct())));
        }

        double dramBytesPerCycle = 0;
        foreach (var m in arch.Memory)
        {
            int instances = m.PerPe ? pes : 1;
            switch (m.Kind)
            {
                case MemoryKind.Dram:
                    // The loader gives a shared channel the same read and write bandwidth: count it once.
                    dramBytesPerCycle += Math.Max(m.ReadBytesPerCycle, m.WriteBytesPerCycle);
                    break;
                case MemoryKind.Sram:
                {
                    int banks = Math.Max(1, m.Banks);
                    var (r, how) = MapBuffer((long)Math.Ceiling(m.CapacityBytes * 8.0 / banks), m.WidthBits, device);
                    r *= banks * (double)instances;
                    if (banks > 1) how += $" per bank, x {banks} banks";
                    if (instances > 1) how += $" per PE, x {instances} PEs";
                    if (overrides.Get($"memory.{m.Name}.bram36") is { } ob) { r = r with { Bram18 = 2 * ob.Value }; how = "override: " + ob.Source; }
                    if (overrides.Get($"memory.{m.Name}.uram") is { } ou) { r = r with { Uram = ou.Value }; how = "override: " + ou.Source; }
                    breakdown.Add(new FpgaResourceItem(m.Name, r, how));
                    break;
                }
                case MemoryKind.RegFile:
                {
                    long bits = m.CapacityBytes * 8;
                    var r = bits <= 1024
                        ? new FpgaResources(0, bits, 0, 0, 0)
                        : new FpgaResources(Math.Ceiling(bits / (double)m.WidthBits / k["lutram_bits_per_lut"]) * m.WidthBits, 0, 0, 0, 0);
                    breakdown.Add(new FpgaResourceItem(m.Name, r * instances, bits <= 1024 ? "flip-flops" : "LUTRAM (" + k.Get("lutram_bits_per_lut").Source + ")"));
                    break;
                }
            }
        }

        // The platform's HBM memory subsystem sits in the dynamic region beside the kernel: charged by one rule to every design
        // on an HBM device, from the bandwidth the design configures.
        if (FpgaHbmSubsystem.For(device, dramBytesPerCycle) is { } hmss) breakdown.Add(hmss);
        // The platform's static region and base logic: the same for every design on the device.
        if (FpgaPlatform.For(device) is { } platform) breakdown.Add(platform);

        var used = breakdown.Aggregate(new FpgaResources(), (s, b) => s + b.Used);
        var util = new List<FpgaUtilization>
        {
            new("LUT", Math.Ceiling(used.Luts), device.Luts),
            new("FF", Math.Ceiling(used.Ffs), device.Ffs),
            new("DSP", Math.Ceiling(used.Dsps), device.Dsps),
            new("BRAM36", Math.Ceiling(used.Bram18) / 2, device.Bram36),
            new("URAM", Math.Ceiling(used.Uram), device.Uram),
        };
        bool fits = util.All(u => u.Used <= u.Available);
        double clock = Math.Min(device.TypicalClockMhz, device.DspFmaxMhz);
        double dramGBps = dramBytesPerCycle * arch.ClockMhz * 1e6 / 1e9;

        var cost = Energy(arch, device, dp, overrides);
        return new FpgaReport(device, used, util, fits, clock, arch.ClockMhz <= clock, dramGBps, breakdown, cost)
        { AppliedOverrides = overrides.Applied };
    }

    /// <summary>The report <c>mantissa cost</c> prints for an FPGA target.</summary>
    public static CostReport Report(ArchitectureSpec arch)
    {
        var fpga = Evaluate(arch);
        var dp = PeDatapath.For(arch);
        double powerMw = arch.PeCount * fpga.Cost.PeEnergyPerActiveCyclePj * arch.ClockMhz * 1e-3 + fpga.Cost.LeakageMw;
        var peak = AsicCostModel.Peak(arch, dp.MacsPerCycle, powerMw);
        return new CostReport(arch.Name, Target.Fpga, fpga.Cost, arch.ClockMhz, fpga.Device.NodeNm, fpga.Device.Vdd, 0, peak, powerMw,
            peak[0].TopsPerWatt, 0, fpga.AppliedOverrides, fpga);
    }

    // pe.lut / pe.ff / pe.dsp pin one PE's resources: the composed per-component figures are replaced by one "pe" row.
    private static void PinPeResources(List<FpgaResourceItem> breakdown, CostOverrides overrides, int pes)
    {
        var lut = overrides.Get("pe.lut"); var ff = overrides.Get("pe.ff"); var dsp = overrides.Get("pe.dsp");
        if (lut is null && ff is null && dsp is null) return;
        var derived = breakdown.Aggregate(new FpgaResources(), (s, b) => s + b.Used);
        var pinned = new FpgaResources(lut is null ? derived.Luts : lut.Value * pes, ff is null ? derived.Ffs : ff.Value * pes,
            dsp is null ? derived.Dsps : dsp.Value * pes, derived.Bram18, derived.Uram);
        string src = "override: " + string.Join("; ", new[] { lut, ff, dsp }.Where(o => o is not null).Select(o => o!.Source).Distinct());
        breakdown.Clear();
        breakdown.Add(new FpgaResourceItem("pe", pinned, src));
    }

    /// <summary>Resources of <paramref name="count"/> instances of one primitive on <paramref name="device"/>.</summary>
    internal static FpgaResources MapPrimitive(PrimitiveUse u, double count, FpgaDevice device)
    {
        switch (u.Kind)
        {
            case PrimitiveKind.IntMultiplier:
                return Multipliers(u.A, u.B, count, device);
            case PrimitiveKind.FpMultiplier:
                // Significand product, plus exponent add and normalize/round in LUTs (one LUT per bit: structural).
                return Multipliers(u.A, u.B, count, device) + new FpgaResources(count * (10 + u.A + u.B), 0, 0, 0, 0);
            case PrimitiveKind.Adder:
                return new FpgaResources(count * u.A, 0, 0, 0, 0); // one LUT per bit on the carry chain
            case PrimitiveKind.FpAdder:
            {
                int w = u.A + 3; // guard, round, sticky
                return new FpgaResources(count * (2 * ShifterLuts(w) + w + LzdLuts(w)), 0, 0, 0, 0);
            }
            case PrimitiveKind.Register:
                return new FpgaResources(0, count * u.A, 0, 0, 0);
            case PrimitiveKind.Shifter:
                return new FpgaResources(count * ShifterLuts(u.A), 0, 0, 0, 0);
            case PrimitiveKind.LeadingZeroDetector:
                return new FpgaResources(count * LzdLuts(u.A), 0, 0, 0, 0);
            case PrimitiveKind.Mux:
                return new FpgaResources(count * u.B * Math.Ceiling((u.A - 1) / 3.0), 0, 0, 0, 0); // a LUT6 is a 4:1 mux
            default:
                throw new ArgumentOutOfRangeException(nameof(u));
        }
    }

    /// <summary>
    /// <paramref name="count"/> a×b multipliers: in LUTs (FINN-R) when one operand has at most 2 bits, else on DSP slices,
    /// packing several low-bit multiplies into one slice where the packing table allows.
    /// </summary>
    public static FpgaResources Multipliers(int a, int b, double count, FpgaDevice device)
    {
        int hi = Math.Max(a, b), lo = Math.Min(a, b);
        if (lo <= 2) return new FpgaResources(count * FinnLutMultiplier(a, b), 0, 0, 0, 0);
        foreach (var row in DspPacking.Value.Where(r => r.DspType == device.DspType))
            if (hi <= row.MaxA && lo <= row.MaxB) return new FpgaResources(0, 0, Math.Ceiling(count / row.PerDsp), 0, 0);
        var big = DspPacking.Value.Where(r => r.DspType == device.DspType && r.PerDsp == 1).Select(r => (r.MaxA, r.MaxB)).First();
        return new FpgaResources(0, 0, count * Math.Ceiling(hi / (double)big.MaxA) * Math.Ceiling(lo / (double)big.MaxB), 0, 0);
    }

    /// <summary>FINN-R LUT multiplier: (2·⌈(W+A)/6⌉ − 1)·(W+A) six-input LUTs.</summary>
    public static double FinnLutMultiplier(int w, int a) => (2 * Math.Ceiling((w + a) / 6.0) - 1) * (w + a);

    /// <summary>
    /// One buffer of <paramref name="bits"/> read <paramref name="width"/> bits at a time, on BRAM18 (best simple-dual-port shape,
    /// FINN's count) or URAM288 (4K×72, UG573), whichever takes the smaller share of the device's blocks of its kind (URAM on a
    /// tie). URAM is placed by the designer (UG949: ram_style "ultra" or XPM MEMORY_PRIMITIVE "ultra"), not inferred, so the rule is
    /// the designer's: spend the scarcer block where it goes further. A shallow or narrow buffer stays on BRAM (a URAM's fixed
    /// 4K depth and 72-bit width would sit mostly empty); a deep, wide one moves to URAM, which holds 8 BRAM36 of bits.
    /// </summary>
    public static (FpgaResources Resources, string How) MapBuffer(long bits, int width, FpgaDevice device)
    {
        var k = CostData.Fpga;
        long depth = (long)Math.Ceiling(bits / (double)Math.Max(1, width));
        var best = BramShapes.Value.Select(s => (s.Depth, s.Width, Count: Math.Ceiling(depth / (double)s.Depth) * Math.Ceiling(width / (double)s.Width)))
            .OrderBy(s => s.Count).First();
        double uram = Math.Ceiling(width / k["uram_width"]) * Math.Ceiling(depth / k["uram_depth"]);
        if (device.Uram > 0 && uram / device.Uram <= best.Count / (2.0 * device.Bram36))
            return (new FpgaResources(0, 0, 0, 0, uram), $"URAM288 4Kx72 x {uram} (UG573)");
        return (new FpgaResources(0, 0, 0, best.Count, 0), $"BRAM18 {best.Depth}x{best.Width} x {best.Count} (UG573)");
    }

    private static string MappingRule(PrimitiveUse u) => u.Kind switch
    {
        PrimitiveKind.IntMultiplier or PrimitiveKind.FpMultiplier => Math.Min(u.A, u.B) <= 2
            ? "FINN-R LUT multiplier" : "DSP packing (fpga_dsp_packing.csv)" + (u.Kind == PrimitiveKind.FpMultiplier ? " + exponent/normalize LUTs" : ""),
        PrimitiveKind.Adder => "1 LUT per bit (carry chain)",
        PrimitiveKind.Register => "1 FF per bit",
        PrimitiveKind.Mux => "LUT6 as 4:1 mux",
        _ => "LUT6 as 4:1 mux per two shifter stages",
    };

    private static double ShifterLuts(int w) => w * Math.Ceiling(Math.Log2(Math.Max(2, w)) / 2);
    private static double LzdLuts(int w) => Math.Ceiling(w / 2.0);

    private static ArchCost Energy(ArchitectureSpec arch, FpgaDevice device, PeDatapath dp, CostOverrides overrides)
    {
        var c = CostData.Asic;
        var (gap, gapSrc) = CostData.Fpga.Get("fpga_asic_dynamic_power_ratio");
        double eScale = CostData.Scaling.EnergyScale(ComponentLibrary.ReferenceNodeNm, ComponentLibrary.ReferenceVdd, device.NodeNm, device.Vdd);
        var energy = new List<ActionEnergy>();
        foreach (var comp in dp.Components)
            energy.Add(new ActionEnergy(comp.TableName, "active_cycle", comp.EnergyPj * eScale * gap, comp.Source + "; x " + gapSrc));
        string activeSrc = $"ASIC datapath at {device.NodeNm} nm x FPGA/ASIC dynamic power ratio {gap}";
        double active = overrides.Apply("pe.energy_pj_per_cycle", dp.EnergyPj * eScale * gap, ref activeSrc);
        var (idleFrac, idleSrc0) = c.Get("idle_fraction");
        string idleSrc = idleSrc0;
        double idle = overrides.Apply("pe.idle_energy_pj_per_cycle", active * idleFrac, ref idleSrc);
        energy.Add(new ActionEnergy("pe", "active_cycle", active, activeSrc));
        energy.Add(new ActionEnergy("pe", "idle_cycle", idle, idleSrc));
        var levels = new List<LevelCost>();
        // The idle card's off-chip memory, PHY and regulators burn the board static power whatever the design does: it is
        // charged to the first DRAM level (or to the total when the design has none).
        var boardLevel = arch.Memory.FirstOrDefault(m => m.Kind == MemoryKind.Dram);
        foreach (var m in arch.Memory)
        {
            // Block RAMs are hard SRAM macros: costed with the SRAM model at the device node, without the logic gap.
            var mc = CostData.Memory.Evaluate(m, device.NodeNm, device.Vdd);
            bool board = ReferenceEquals(m, boardLevel);
            string rs = mc.Source, ws = mc.Source, @as = "FPGA: no silicon area";
            string ls = board ? $"{device.Name} board static {device.BoardStaticW} W: {device.BoardStaticSource}"
                : "on-chip RAM static power is part of the device static power";
            string p = "memory." + m.Name + ".";
            double read = overrides.Apply(p + "read_pj", mc.ReadPjPerWord, ref rs);
            double write = overrides.Apply(p + "write_pj", mc.WritePjPerWord, ref ws);
            double leak = overrides.Apply(p + "leakage_mw", board ? device.BoardStaticW * 1e3 : 0, ref ls);
            double area = overrides.Apply(p + "area_mm2", 0, ref @as);
            levels.Add(new LevelCost(m.Name, read, write, leak, area));
            energy.Add(new ActionEnergy(m.Name, $"read_{m.WidthBits}b", read, rs));
            energy.Add(new ActionEnergy(m.Name, $"write_{m.WidthBits}b", write, ws));
            if (leak > 0) energy.Add(new ActionEnergy(m.Name, "leak_cycle", AsicCostModel.LeakPerCycle(leak, arch), ls));
        }
        // The device's static power is the configured, idle die: logic, routing and RAMs leak whether a design uses them or
        // not, so it is charged once for the device rather than per PE.
        string plSrc = "part of the device static power", totalSrc = "device static + board static + memory levels";
        double peLeak = overrides.Apply("pe.leakage_mw", 0, ref plSrc);
        string devSrc = $"{device.Name} static {device.StaticW} W: {device.StaticSource}";
        double deviceMw = device.StaticW * 1e3;
        energy.Add(new ActionEnergy("fpga_device", "leak_cycle", AsicCostModel.LeakPerCycle(deviceMw, arch), devSrc));
        double boardMw = boardLevel is null ? device.BoardStaticW * 1e3 : 0;
        if (boardMw > 0)
            energy.Add(new ActionEnergy("fpga_board", "leak_cycle", AsicCostModel.LeakPerCycle(boardMw, arch), device.BoardStaticSource));
        double leakage = overrides.Apply("leakage_mw", deviceMw + boardMw + peLeak * arch.PeCount + levels.Sum(l => l.LeakageMw), ref totalSrc);
        return new ArchCost(active, idle, levels, leakage, 0, energy, Array.Empty<AreaItem>())
        { PeLeakageMw = peLeak };
    }

    private sealed record PackingRow(string DspType, int MaxA, int MaxB, int PerDsp);

    private static readonly Lazy<PackingRow[]> DspPacking = new(() => CsvTable.LoadEmbedded("fpga_dsp_packing.csv").Rows
        .Select(r => new PackingRow(r.Text("dsp_type"), r.Integer("max_a"), r.Integer("max_b"), r.Integer("mults_per_dsp"))).ToArray());

    private static readonly Lazy<(int Depth, int Width)[]> BramShapes = new(() => CsvTable.LoadEmbedded("fpga_bram_shapes.csv").Rows
        .Select(r => (r.Integer("depth"), r.Integer("width"))).ToArray());

    private static string Where(ArchitectureSpec arch) => arch.SourceFile is null ? "" : arch.SourceFile + ": ";
}
