using Mantissa.Arch.Model;

namespace Mantissa.Arch.Config;

/// <summary>Validates a merged architecture tree and builds the <see cref="ArchitectureSpec"/>; reports every problem.</summary>
internal static class ArchitectureBinder
{
    private static readonly (string, Target)[] Targets = [("asic", Target.Asic), ("fpga", Target.Fpga)];
    private static readonly (string, WeightPreload)[] Preloads = [("serial", WeightPreload.Serial), ("overlapped", WeightPreload.Overlapped)];
    private static readonly (string, Dataflow)[] Dataflows = [("ws", Dataflow.WS), ("os", Dataflow.OS), ("is", Dataflow.IS)];
    private static readonly (string, Dataflow)[] DataflowChoices = [.. Dataflows, ("search", Dataflow.WS)];

    private const string DataflowExpected = "ws, os, is, search (the mapper chooses among all three) or a list of two or more of ws, os, is";

    /// <summary>The array's nominal dataflow (null: invalid) and the dataflows open to the mapper.</summary>
    /// <remarks>A record struct, not a tuple: a tuple of these types is generic framework code compiled at every start-up.</remarks>
    private readonly record struct DataflowChoice(Dataflow? Dataflow, DataflowSet Open);

    // One dataflow fixes the spatial unrolling; `search` or a list opens it to the mapper (the first listed is the array's
    // nominal dataflow). A one-item list is that dataflow, fixed.
    private static DataflowChoice ReadDataflow(SectionReader ar)
    {
        if (ar.Entry("dataflow")?.Value is ConfigSeq seq)
        {
            var path = ar.KeyPath("dataflow");
            if (seq.Items.Count == 0) { ar.ValueError("dataflow", $"expected {DataflowExpected}, got an empty list"); return new(null, DataflowSet.None); }
            var set = DataflowSet.None;
            Dataflow? first = null;
            bool ok = true;
            for (int i = 0; i < seq.Items.Count; i++)
            {
                var item = seq.Items[i];
                var text = (item as ConfigScalar)?.Text.Trim().ToLowerInvariant();
                int index = SectionReader.OptionIndex(Dataflows, text);
                if (text is null || index < 0)
                {
                    var got = item is ConfigScalar s ? $"'{s.Text}'{NameSuggester.Hint(s.Text, SectionReader.OptionNames(Dataflows))}" : item.KindName;
                    ar.Bag.Add(item.Origin, $"{path}.{i}", $"expected one of ws, os, is, got {got}");
                    ok = false;
                    continue;
                }
                var match = Dataflows[index];
                if ((set & ArraySpec.Bit(match.Item2)) != 0) { ar.Bag.Add(item.Origin, $"{path}.{i}", $"'{text}' is listed twice"); ok = false; }
                set |= ArraySpec.Bit(match.Item2);
                first ??= match.Item2;
            }
            if (!ok) return new(null, DataflowSet.None);
            return new(first, seq.Items.Count == 1 ? DataflowSet.None : set);
        }
        if (ar.Entry("dataflow")?.Value is ConfigScalar sc && sc.Text.Trim().Equals("search", StringComparison.OrdinalIgnoreCase))
            return new(Dataflow.WS, DataflowSet.All);
        return new(ar.Choice("dataflow", true, DataflowChoices), DataflowSet.None);
    }

    // A section as the memo bound the same (base) node before: looked up first, so a hit builds no closure.
    private static bool Known<T>(BindMemo? memo, ConfigMap map, out T? section) where T : class
    {
        section = null;
        return memo is not null && memo.TrySection(map, out section);
    }

    // A section just bound from map: kept by the memo when its binding reported nothing.
    private static T? Keep<T>(BindMemo? memo, ConfigMap map, DiagnosticBag bag, int before, T? section) where T : class
    {
        memo?.KeepSection(map, section, bag.Count == before);
        return section;
    }

    private static TechnologySpec? BindTechnology(SectionReader tr)
    {
        var node = tr.Number("node_nm", true, Limits.MinNodeNm, Limits.MaxNodeNm, allowEqual: true, unit: "nm");
        var vdd = tr.Number("vdd", true, Limits.MinVdd, Limits.MaxVdd, allowEqual: true, unit: "V");
        return node is not null && vdd is not null ? new TechnologySpec(node.Value, vdd.Value) : null;
    }

    private static ArraySpec? BindArray(SectionReader ar)
    {
        var rows = ar.Integer("rows", true, 1, 1 << 16);
        var cols = ar.Integer("cols", true, 1, 1 << 16);
        var (df, open) = ReadDataflow(ar);
        var preload = ar.Choice("weight_preload", false, Preloads) ?? WeightPreload.Serial;
        var lanes = ar.Integer("vector_lanes", false, 1, 1 << 20);
        if (rows * cols > Limits.MaxPes)
        {
            ar.ValueError("cols", $"rows × cols = {rows} × {cols} = {rows * cols:N0} PEs is more than the {Limits.MaxPes:N0} PEs a design may have");
            rows = null;
        }
        if (rows is null || cols is null || df is null) return null;
        return new ArraySpec((int)rows, (int)cols, df.Value, preload, lanes is null ? null : (int)lanes) { Open = open };
    }

    private static SimSwitches BindSim(SectionReader sr)
    {
        var defaults = new SimSwitches();
        return new SimSwitches(sr.Bool("charge_all_pes_every_cycle") ?? defaults.ChargeAllPesEveryCycle, sr.Bool("model_fill") ?? defaults.ModelFill);
    }

    // The names the memory levels were given (for overrides, which pin costs by level name).
    private static List<string> LevelNames(ConfigSeq? memory) =>
        memory is null ? [] : memory.Items.OfType<ConfigMap>().Select(m => m.Get("name")).OfType<ConfigScalar>().Select(s => s.Text).ToList();

    /// <param name="memo">Bindings of a base tree's sections to reuse (<see cref="ResolvedArchitecture"/>), or null.</param>
    /// <param name="sourceFile">The design's <see cref="ArchitectureSpec.SourceFile"/>.</param>
    public static ArchitectureSpec? Bind(ConfigMap root, DiagnosticBag bag, BindMemo? memo = null, string? sourceFile = null)
    {
        int errorsBefore = bag.Count;
        var r = new SectionReader(root, "", ConfigSchema.Root, bag);
        var name = r.Text("name", true, "the design's name");
        var target = r.Choice("target", true, Targets);

        TechnologySpec? tech = null;
        FpgaSpec? fpga = null;
        if (target == Target.Asic)
        {
            if (r.Has("fpga")) r.KeyError("fpga", "'fpga' applies only to target: fpga (this design is target: asic)");
            if (r.SubMap("technology", true, "{node_nm: <nm>, vdd: <volts>} for an ASIC") is { } t)
                tech = Known(memo, t, out TechnologySpec? known) ? known
                    : Keep(memo, t, bag, bag.Count, BindTechnology(new SectionReader(t, "technology", ConfigSchema.Technology, bag, r.KeyOrigin("technology"))));
        }
        else if (target == Target.Fpga)
        {
            if (r.Has("technology")) r.KeyError("technology", "'technology' applies only to target: asic (this design is target: fpga)");
            if (r.SubMap("fpga", true, "{device: <name>} for an FPGA") is { } f)
            {
                var fr = new SectionReader(f, "fpga", ConfigSchema.Fpga, bag, r.KeyOrigin("fpga"));
                if (fr.Name("device", true, FpgaDeviceNames.All) is { } device) fpga = new FpgaSpec(device);
            }
        }

        var clock = r.Number("clock_mhz", true, Limits.MinClockMhz, Limits.MaxClockMhz, allowEqual: true, unit: "MHz");

        PeSpec? pe = null;
        if (r.SubMap("pe", true, "a PE description (kind, weights, activations, ...)") is { } peMap)
            pe = Known(memo, peMap, out PeSpec? known) ? known : Keep(memo, peMap, bag, bag.Count, PeBinder.Bind(peMap, r.KeyOrigin("pe"), bag));

        ArraySpec? array = null;
        if (r.SubMap("array", true, "{rows, cols, dataflow}") is { } arrayMap)
            array = Known(memo, arrayMap, out ArraySpec? known) ? known
                : Keep(memo, arrayMap, bag, bag.Count, BindArray(new SectionReader(arrayMap, "array", ConfigSchema.Array, bag, r.KeyOrigin("array"))));

        IReadOnlyList<MemoryLevelSpec>? memory = null;
        var memSeq = r.SubList("memory", true, "a list of memory levels, DRAM first");
        if (memSeq is not null) memory = MemoryBinder.Bind(memSeq, clock, bag, memo);

        IReadOnlyList<CostOverride> overrides = [];
        if (r.SubMap("overrides", false, "a mapping of pinned costs") is { } ov) overrides = OverrideBinder.Bind(ov, LevelNames(memSeq), target, bag);

        var switches = new SimSwitches();
        if (r.SubMap("sim", false, "{charge_all_pes_every_cycle, model_fill}") is { } simMap)
            switches = Known(memo, simMap, out SimSwitches? known) ? known!
                : Keep(memo, simMap, bag, bag.Count, BindSim(new SectionReader(simMap, "sim", ConfigSchema.Sim, bag, r.KeyOrigin("sim"))))!;

        ChipSpec? chip = null;
        if (r.SubMap("chip", false, "a mapping of whole-chip components (control, dma_engines, ...)") is { } chipMap)
        {
            if (target == Target.Fpga) r.KeyError("chip", "'chip' applies only to target: asic (an FPGA design's shell and I/O are the device's)");
            else chip = ChipBinder.Bind(new SectionReader(chipMap, "chip", ConfigSchema.Chip, bag, r.KeyOrigin("chip")));
        }

        if (bag.Count > errorsBefore || name is null || target is null || clock is null || pe is null || array is null || memory is null)
            return null;
        return new ArchitectureSpec(name, target.Value, tech, fpga, clock.Value, pe, array, memory, overrides, switches) { Chip = chip, SourceFile = sourceFile };
    }
}
