using Mantissa.Arch.Config;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost.Chip;

/// <summary>
/// Prices the whole-chip components an architecture declares in <c>chip:</c> (control, DMA, post-processing, DRAM and host
/// PHYs with their controllers, the buses between buffers and array, the clock tree). Logic is composed from the same
/// 45 nm primitives as the PE or taken from a published gate or transistor count, then scaled like every other block;
/// PHYs keep their published area at every node.
/// </summary>
public static class ChipCostModel
{
    private static readonly ChipCost Undeclared = ChipCost.None with { NotDeclared = ["all (no chip: section)"] };

    /// <summary>The chip's components at <paramref name="nodeNm"/> / <paramref name="vdd"/>. <paramref name="blocks"/> are the
    /// area rows of everything else (array and memories), which the buses and the clock tree span.
    /// <paramref name="peLeakMwPerUm2"/> is the PE array's leakage per µm² of composed PE area: every other logic area of the
    /// chip leaks at the same density (one rule for every chip).</summary>
    public static ChipCost Evaluate(ArchitectureSpec arch, PeDatapath dp, double nodeNm, double vdd, IReadOnlyList<AreaItem> blocks,
        double peLeakMwPerUm2 = 0)
    {
        var chip = arch.Chip;
        if (chip is null) return Undeclared; // one shared, immutable result: most designs have no chip: section
        double blocksMm2 = blocks.Sum(a => a.AreaMm2);
        var k = CostData.Chip;
        var lib = ComponentLibrary.Default;
        var scaling = CostData.Scaling;
        double aScale = scaling.AreaScale(ComponentLibrary.ReferenceNodeNm, nodeNm);
        double eScale = scaling.EnergyScale(ComponentLibrary.ReferenceNodeNm, ComponentLibrary.ReferenceVdd, nodeNm, vdd);
        // Controllers are published as transistor counts; at 7 nm's logic density they are an area, scaled like any logic.
        var (density, densitySrc) = k.Get("logic_density_7nm");
        double ctrlMm2PerMtr = scaling.AreaScale(7, nodeNm) / density;
        var areas = new List<AreaItem>();
        var energy = new List<ActionEnergy>();
        var missing = new List<string>();
        const string Scaled = "; Stillmaker & Baas area scaling";

        if (chip.Control)
        {
            var (kge, kgeSrc) = k.Get("sequencer_kge");
            var (nand, nandSrc) = k.Get("nand2_area_um2");
            areas.Add(new AreaItem("control", 1, kge * 1e3 * nand * aScale * 1e-6, $"{kgeSrc} x {nandSrc}{Scaled} (area only)"));
        }
        else missing.Add("control");

        if (chip.DmaEngines > 0)
        {
            var engine = DmaEngine();
            var c = lib.Cost(engine);
            areas.Add(new AreaItem("dma", chip.DmaEngines, chip.DmaEngines * c.AreaUm2 * aScale * 1e-6,
                "2-D transfer descriptor (src, dst, length, two strides, repeat count: 6 x 32-bit registers), two address adders, " +
                "two counters and a bound comparator per engine, after iDMA's 2-D mid-end (Benz et al., IEEE TC 2023): " +
                lib.SourcesOf(engine) + Scaled + " (address generation only; the data path is the buffers')"));
        }
        else missing.Add("dma");

        if (chip.PostProcessingLanes > 0)
        {
            var (lane, table) = PostProcessing(k);
            var lc = lib.Cost(lane);
            var tc = lib.Cost(table);
            string src = "per lane: 32-bit bias adder, 32x16 scale multiplier, 32-bit requantizing shifter, clamp/ReLU and " +
                         "max-pool comparators, average-pool adder and register, a read port on the activation table and a " +
                         "16x16 multiply-add interpolating between entries; cross-channel normalization: " + LrnSource(k) +
                         "; one table per unit: " + TableSource(k) + "; " + lib.SourcesOf(lane + table) + Scaled +
                         " (pooling line storage not priced: no source sizes it)";
            int n = chip.PostProcessingLanes;
            areas.Add(new AreaItem("post_processing", n, (n * lc.AreaUm2 + tc.AreaUm2) * aScale * 1e-6, src));
            energy.Add(new ActionEnergy("post_processing", "lane_op", lc.EnergyPj * eScale, src));
        }
        else missing.Add("post_processing");

        var constantRows = new List<(int Row, double Mw)>();
        double dramStandbyMw = 0, dramPhyMw = 0;
        if (chip.DramPhy && arch.Memory.Any(m => m.Kind == MemoryKind.Dram))
            foreach (var m in arch.Memory.Where(m => m.Kind == MemoryKind.Dram))
            {
                var channels = DramChannels.Of(arch, m, k);
                areas.AddRange(DramPhy(m, channels, k, ctrlMm2PerMtr, densitySrc));
                var (phyRow, phyMw, phyWhy) = DramPhyStatic(m, channels, k);
                if (phyRow is null) missing.Add($"{m.Name}.phy static power ({phyWhy})");
                else
                {
                    constantRows.Add((energy.Count, phyMw));
                    energy.Add(phyRow);
                    dramPhyMw += phyMw;
                }
                var (row, mw, why) = DramDevices(m, k);
                if (row is null) { missing.Add($"{m.Name}.devices ({why})"); continue; }
                constantRows.Add((energy.Count, mw));
                energy.Add(row);
                dramStandbyMw += mw;
            }
        else missing.Add("dram_phy");

        int pcieRow = -1;
        double pcieMw = 0;
        if (chip.PcieLanes > 0)
        {
            // Only PCIe 4 and 5 are tabulated; a Gen3 link is priced as Gen4, the nearest (an upper bound for its PHY).
            string gen = chip.PcieGeneration == PcieGeneration.Gen5 ? "pcie5" : "pcie4";
            var (phy, phySrc) = k.Get(gen + "_phy_mm2_per_lane");
            var (ctl, ctlSrc) = k.Get(gen + "_ctrl_mtr_per_lane");
            string note = chip.PcieGeneration == PcieGeneration.Gen3 ? " (Gen3 priced as Gen4, the nearest tabulated generation)" : "";
            areas.Add(new AreaItem("pcie_phy", chip.PcieLanes, chip.PcieLanes * phy, phySrc + note));
            areas.Add(new AreaItem("pcie_controller", chip.PcieLanes, chip.PcieLanes * ctl * ctrlMm2PerMtr,
                ctlSrc + "; at " + densitySrc + Scaled + note));
            pcieRow = energy.Count;
            energy.Add(PcieTransmitters(k, chip, out pcieMw));
        }
        else missing.Add("host_interface");

        // The fitted chip-level area (chip.fitted_area) is part of the die the buses and the clock tree cross.
        areas.AddRange(ChipFit.Rows(arch, blocks.Concat(areas)));
        double leakMw = 0;
        if (peLeakMwPerUm2 > 0 && LogicLeakage(arch, areas, peLeakMwPerUm2) is { } leak)
        {
            constantRows.Add((energy.Count, leak.Mw));
            leakMw = leak.Mw;
            energy.Add(leak.Row);
        }
        var (capFfPerUm, capSrc) = CostData.Asic.Get("wire_cap_ff_per_um");
        double dieUm2 = (blocksMm2 + areas.Sum(a => a.AreaMm2)) * 1e6;
        if (chip.Interconnect)
        {
            // Each on-chip buffer shared by the array drives its word across half the die side to the array's edge.
            double lengthUm = Math.Sqrt(dieUm2) / 2;
            foreach (var m in arch.Memory.Where(m => m.Kind != MemoryKind.Dram && !m.PerPe))
            {
                double pj = m.WidthBits * capFfPerUm * lengthUm * vdd * vdd * CostData.Asic["wire_activity"] * 1e-3;
                energy.Add(new ActionEnergy("interconnect." + m.Name, $"transfer_{m.WidthBits}b", pj,
                    $"{capSrc}; {m.WidthBits} wires over half the die side ({lengthUm / 1e3:0.##} mm), activity {CostData.Asic["wire_activity"]}"));
            }
        }
        else missing.Add("interconnect");

        double clockTreePj = 0;
        if (chip.ClockTree)
        {
            var (tour, tourSrc) = k.Get("tour_constant");
            double sinks = FlipFlops(arch, dp);
            double wireUm = tour * Math.Sqrt(sinks * dieUm2);
            double wireFf = wireUm * capFfPerUm;
            double pj = wireFf * vdd * vdd * 1e-3;
            energy.Add(new ActionEnergy("clock_tree", "cycle", pj,
                $"wire to {sinks:0.###e0} flip-flops over {dieUm2 * 1e-6:0.#} mm2: {tourSrc}; {capSrc}; full swing every cycle " +
                "(the flip-flops' clock pins are in the registers' energy; the buffers are the clock_buffers row)"));
            var buffers = ClockBuffers(k, sinks, wireFf, nodeNm, vdd);
            energy.Add(buffers);
            clockTreePj = pj + buffers.EnergyPj;
        }
        else missing.Add("clock_tree");

        return new ChipCost(areas, energy, missing)
        {
            PcieRow = pcieRow, PcieMw = pcieMw, ClockTreePjPerCycle = clockTreePj, LeakageMw = leakMw, DramStandbyMw = dramStandbyMw,
            DramPhyMw = dramPhyMw,
            ConstantPowerRows = constantRows,
        };
    }

    // Leakage follows transistor area: every logic row the chip adds (control, DMA, post-processing, the DRAM and PCIe
    // controllers, the fitted logic area) leaks at the PE array's leakage per µm² of composed area, the one logic leakage
    // figure the model has. PHYs (analog, die-shot areas) and the fitted SRAM area are not logic. The row's energy per cycle is
    // left unset (NaN) and filled in at the clock like every leak_cycle row.
    private static (ActionEnergy Row, double Mw)? LogicLeakage(ArchitectureSpec arch, IReadOnlyList<AreaItem> rows, double peLeakMwPerUm2)
    {
        var leaking = rows.Where(a => ChipAreaClasses.IsLeakingLogic(a, arch)).ToList();
        double mm2 = leaking.Sum(a => a.AreaMm2);
        if (mm2 <= 0) return null;
        double mwPerMm2 = peLeakMwPerUm2 * 1e6;
        double mw = mm2 * mwPerMm2;
        string parts = string.Join(", ", leaking.Select(a => FormattableString.Invariant($"{a.Component} {a.AreaMm2:0.###}")));
        var (ratio, ratioSrc) = CostData.Asic.Get("pe_leakage_to_dynamic");
        string src = FormattableString.Invariant($"{mm2:0.##} mm² of logic outside the PE array ({parts}) x the PE array's leakage per area, {mwPerMm2:0.#} mW/mm² ")
                     + FormattableString.Invariant($"(pe leak_cycle over the composed PE area; leakage {ratio} of dynamic: {ratioSrc}) = {mw:0.#} mW; ")
                     + "an upper bound where the fitted area is wiring or placement space, which does not leak";
        return (new ActionEnergy("chip_logic", "leak_cycle", double.NaN, src), mw);
    }

    // The address generator of one 2-D DMA engine.
    private static Structure DmaEngine() =>
        P.Reg(6 * 32) + P.Add(32) + P.Add(32) + P.Add(32) + P.Reg(32) + P.Add(32) + P.Reg(32) + P.Lzd(32);

    // One post-processing lane (NVDLA SDP/PDP/CDP, TPU activation pipeline) and the activation table one unit shares.
    // Cross-channel (local response) normalization, which NVDLA's CDP and TPU v1's vector unit both implement
    // (x / (k + a·Σ x_j²)^b over a window of neighbouring channels): a 16x16 squarer, a delay line holding the window's
    // squares (32 bits each), a running sum (add the square entering, subtract the one leaving), the power term read from
    // the same activation table, and a 16x16 multiply by it.
    private static (Structure Lane, Structure Table) PostProcessing(CostData.Constants k)
    {
        int raw = (int)k["lut_raw_entries"], dense = (int)k["lut_density_entries"], bits = (int)k["lut_entry_bits"];
        int window = (int)k["lrn_window_max"];
        var lane = P.Add(32) + P.Mul(32, 16) + P.Shift(32) + P.Lzd(32) + P.Lzd(32) + P.Add(32) + P.Reg(32)
                   + P.Mux(raw + dense, bits) + P.Mul(16, 16) + P.Add(32) + P.Reg(4 * 32)
                   + P.Mul(16, 16) + P.Reg(window * 32) + P.Add(32) + P.Add(32) + P.Mul(16, 16);
        return (lane, P.Reg((raw + dense) * bits));
    }

    private static string LrnSource(CostData.Constants k) =>
        $"16x16 squarer, a {k["lrn_window_max"]}-deep delay line of 32-bit squares, running-sum adder and subtractor, 16x16 " +
        "normalizing multiply (window: " + k.Get("lrn_window_max").Source + "; " + LrnPatent + ")";

    // What TPU v1's activation pipeline holds, from the patents its designers filed in 2015 (claims only; no sizes).
    private const string LrnPatent =
        "Google patents US 10,074,051 and US 10,192,162 (Thorson, Clark & Luu, 'Vector computation unit in a neural network " +
        "processor', priority May 2015), claims: activation circuitry, then normalization circuitry of normalization register " +
        "columns (registers in series receiving activated values over several cycles) feeding normalization units, then pooling " +
        "circuitry shifting values through registers or memory units each cycle; US 12,277,499 claim 8: the normalization sums " +
        "the activation values and multiplies";

    private static string TableSource(CostData.Constants k) =>
        $"{k["lut_raw_entries"]} + {k["lut_density_entries"]} entries of {k["lut_entry_bits"]} bits (NVDLA hardware architecture, nvdla.org hwarch: " +
        "the LE and LO lookup tables SDP and CDP share)";

    // PHY and controller of one DRAM level: DDR-family PHYs per 32 data bits, HBM per 1024-bit stack, from the channels its
    // bandwidth needs at the type's pin rate.
    private static IEnumerable<AreaItem> DramPhy(MemoryLevelSpec m, DramChannels c, CostData.Constants k, double ctrlMm2PerMtr, string densitySrc)
    {
        var (phy, phySrc) = k.Get(c.Hbm ? "hbm_phy_mm2_per_stack" : "ddr_phy_mm2_per_32b");
        var (ctl, ctlSrc) = k.Get(c.Hbm ? "hbm_ctrl_mtr_per_stack" : "ddr_ctrl_mtr_per_32b");
        double perUnit = c.Hbm ? 1 : c.UnitBits / 32.0;
        string family = c.Hbm || c.Type == "ddr5" ? "" : $" (no {c.Type} figure published: the DDR5 one per 32 data bits)";
        if (c.Hbm && c.Type != "hbm2e") family = $" (no {c.Type} figure published: the HBM2e one per stack)";
        yield return new AreaItem(m.Name + ".phy", c.Units, c.Units * perUnit * phy, $"{phySrc}{family}; {c.Why}");
        yield return new AreaItem(m.Name + ".controller", c.Units, c.Units * perUnit * ctl * ctrlMm2PerMtr,
            $"{ctlSrc}; at {densitySrc}; Stillmaker & Baas area scaling{family}; {c.Why}");
    }

    // The static power of each channel's PHY (phase rotator, receivers, PLL), drawn busy or idle: CACTI-IO's idle PHY power is
    // its static power. Not scaled with the node (CACTI-IO does not state one). Its dynamic part is left in the level's per-bit
    // access energy. Types without a tabulated figure are listed as not priced.
    private static (ActionEnergy? Row, double Mw, string? Missing) DramPhyStatic(MemoryLevelSpec m, DramChannels c, CostData.Constants k)
    {
        string key = $"dram_{c.Type}_phy_static_mw";
        if (!k.Has(key)) return (null, 0, $"no {c.Type} PHY figure tabulated");
        var (perPhy, src) = k.Get(key);
        double mw = c.Units * perPhy;
        return (new ActionEnergy(m.Name + ".phy", "static_cycle", double.NaN, FormattableString.Invariant(
            $"{c.Units} PHYs x {perPhy} mW = {mw:0.#} mW, busy or idle: ") + src + $"; not scaled with the node; {c.Why}"), mw, null);
    }

    // The DRAM devices behind a DRAM level, busy or idle: each device draws its precharge-standby current IDD2N and refreshes
    // every tREFI for tRFC at IDD5 over its active-standby current IDD3N (the DRAMPower/gem5 convention); devices = the level's
    // capacity over one device's. Reads and writes are the level's per-access energy. Types without tabulated currents are
    // listed as not priced.
    private static (ActionEnergy? Row, double Mw, string? Missing) DramDevices(MemoryLevelSpec m, CostData.Constants k)
    {
        string type = m.DramType ?? "ddr4", p = $"dram_{type}_";
        if (!k.Has(p + "device_gib")) return (null, 0, $"no {type} device currents tabulated");
        if (m.CapacityBytes <= 0) return (null, 0, "no capacity declared");
        var (gib, src) = k.Get(p + "device_gib");
        double idd2n = k[p + "idd2n_ma"], idd3n = k[p + "idd3n_ma"], idd5 = k[p + "idd5_ma"], vdd = k[p + "vdd"];
        double trfc = k[p + "trfc_ns"], trefi = k[p + "trefi_ns"];
        double devices = Math.Ceiling(m.CapacityBytes / (gib * (1L << 30)) - 1e-9);
        double perDeviceMw = idd2n * vdd + (idd5 - idd3n) * vdd * trfc / trefi; // mA x V = mW
        double mw = devices * perDeviceMw;
        return (new ActionEnergy(m.Name + ".devices", "standby_cycle", double.NaN, FormattableString.Invariant(
            $"{devices} devices x ({idd2n} mA IDD2N x {vdd} V + ({idd5} - {idd3n}) mA refresh x {vdd} V x {trfc}/{trefi} ns) = {mw:0.#} mW, busy or idle: ") + src +
            "; not on the die: the devices beside it (a card's power, as TPU v1's measured watts are)"), mw, null);
    }

    // The transmitters of every lane at the generation's line rate, per clock cycle of the chip. The energy per bit is a
    // 28 nm PCIe Gen4 transmitter's (the only PCIe PHY figure found), not scaled with the node: an I/O driver's swing and
    // termination are set by the standard. Receivers are not priced (no figure found), so this is the link's floor.
    // Its energy per cycle depends on the clock: the row is left unset (NaN) and filled in by ChipCost.PcieRowAt.
    private static ActionEnergy PcieTransmitters(CostData.Constants k, ChipSpec chip, out double mw)
    {
        var (pjPerBit, txSrc) = k.Get("pcie_tx_pj_per_bit");
        var (gts, rateSrc) = k.Get($"pcie_gts_gen{(int)chip.PcieGeneration}");
        mw = chip.PcieLanes * gts * pjPerBit; // Gb/s x pJ/bit = mW
        return new ActionEnergy("pcie_phy", "cycle", double.NaN,
            $"{chip.PcieLanes} transmitters x {gts} Gb/s x {pjPerBit} pJ/bit = {mw:0.#} mW, every cycle the link is up (L0 sends " +
            $"logical idle when there is no data): {txSrc}; {rateSrc}; not scaled with the node; receivers not priced");
    }

    // The buffers that drive the clock tree: a chain at stage effort f has input capacitance C_load/(f - 1) summed over its
    // stages, and each buffer switches its own drain capacitance (p x its input) too. The load is the tree's wire plus every
    // flip-flop's clock pin (a 45 nm pin taken to the node at constant voltage, where energy ratio = capacitance ratio). The
    // pins' own energy stays in the registers' rows; only the buffers that charge them are added here.
    private static ActionEnergy ClockBuffers(CostData.Constants k, double sinks, double wireFf, double nodeNm, double vdd)
    {
        var (pinFf, pinSrc) = k.Get("ff_clock_pin_ff");
        var (effort, effortSrc) = k.Get("buffer_stage_effort");
        var (parasitic, parasiticSrc) = k.Get("inverter_parasitic");
        double pinsFf = sinks * pinFf * CostData.Scaling.EnergyScale(45, vdd, nodeNm, vdd);
        double buffersFf = (1 + parasitic) * (wireFf + pinsFf) / (effort - 1);
        return new ActionEnergy("clock_buffers", "cycle", buffersFf * vdd * vdd * 1e-3,
            $"(1 + {parasitic}) x (wire {wireFf * 1e-6:0.###} nF + clock pins {pinsFf * 1e-6:0.###} nF) / ({effort} - 1), full swing every " +
            $"cycle: {effortSrc}; {parasiticSrc}; {pinSrc}; Stillmaker & Baas energy scaling at constant voltage");
    }

    // Clock sinks: every register bit of every PE plus the per-PE register-file levels (flip-flops).
    internal static double FlipFlops(ArchitectureSpec arch, PeDatapath dp)
    {
        double perPe = dp.Components.Sum(c => c.Count * c.Structure.Items.Where(i => i.Kind == PrimitiveKind.Register).Sum(i => (double)i.A));
        perPe += arch.Memory.Where(m => m.PerPe && m.Kind == MemoryKind.RegFile).Sum(m => m.CapacityBytes * 8.0);
        return perPe * arch.PeCount;
    }
}
