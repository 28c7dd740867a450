using System.Globalization;
using System.Text;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The canonical text of a resolved design (<see cref="ArchitectureSpec"/>), one section at a time, for its row key
/// (<see cref="DesignKey"/>). It is written from the bound, typed values, so it does not depend on how the YAML and the
/// sets spelled them: numbers in one round-trip text (<c>1e3</c>, <c>1000</c> and <c>1000.0</c> are all <c>1000</c>; −0 is 0,
/// as record equality has it), defaults as the binder filled them in, fields in a fixed order. Every field is written
/// (<c>DesignTextTests</c> fails when a record gains one this text leaves out), strings with their length, so different
/// designs never share a text. <see cref="ArchitectureSpec.SourceFile"/> is left out: it only names the file in messages.
/// </summary>
internal static class DesignText
{
    /// <summary>Name, target, technology, FPGA device, clock, simulator switches and the number of memory levels.</summary>
    public static void Header(StringBuilder sb, ArchitectureSpec a)
    {
        sb.Append("name=");
        Str(sb, a.Name);
        sb.Append(";target=").Append((int)a.Target);
        if (a.Technology is { } t)
        {
            sb.Append(";node_nm=");
            Num(sb, t.NodeNm);
            sb.Append(";vdd=");
            Num(sb, t.Vdd);
        }
        else sb.Append(";technology=none");
        sb.Append(";fpga=");
        if (a.Fpga is { } f) Str(sb, f.Device); else sb.Append("none");
        sb.Append(";clock_mhz=");
        Num(sb, a.ClockMhz);
        sb.Append(";charge_all_pes_every_cycle=");
        Bool(sb, a.Switches.ChargeAllPesEveryCycle);
        sb.Append(";model_fill=");
        Bool(sb, a.Switches.ModelFill);
        sb.Append(";memory_levels=").Append(a.Memory.Count);
    }

    /// <summary>The PE: kind, operand and accumulator formats, dot width and every kind-specific parameter.</summary>
    public static void Pe(StringBuilder sb, PeSpec pe)
    {
        var p = pe.Parameters;
        sb.Append("kind=").Append(pe.Kind.Name).Append(";weights=");
        Format(sb, pe.WeightFormat);
        sb.Append(";activations=");
        Format(sb, pe.ActivationFormat);
        sb.Append(";accumulator=");
        Format(sb, pe.Accumulator);
        sb.Append(";dot_width=").Append(pe.DotWidth)
          .Append(";bits_per_cycle=").Append(p.BitsPerCycle)
          .Append(";serial_operand=").Append((int)p.SerialOperand)
          .Append(";lut_group=").Append(p.LutGroup)
          .Append(";lut_entries=").Append((int)p.LutEntries)
          .Append(";lut_precompute=").Append((int)p.LutPrecompute)
          .Append(";lut_symmetric=");
        Bool(sb, p.LutSymmetric);
        sb.Append(";group_size=").Append(p.GroupSize)
          .Append(";lanes=").Append(p.Lanes)
          .Append(";overflow=").Append((int)p.Overflow)
          .Append(";quire=");
        Bool(sb, p.Quire);
        sb.Append(";pipeline_depth=").Append(p.PipelineDepth);
    }

    /// <summary>The array: rows, columns, dataflow (and the open set), preload and vector lanes.</summary>
    public static void Array(StringBuilder sb, ArraySpec a)
    {
        sb.Append("rows=").Append(a.Rows).Append(";cols=").Append(a.Cols)
          .Append(";dataflow=").Append((int)a.Dataflow).Append(";open=").Append((int)a.Open)
          .Append(";preload=").Append((int)a.Preload).Append(";vector_lanes=");
        if (a.VectorLanes is { } v) sb.Append(v); else sb.Append("none");
    }

    /// <summary>One memory level, with its mapping constraints.</summary>
    public static void Level(StringBuilder sb, MemoryLevelSpec m)
    {
        sb.Append("name=");
        Str(sb, m.Name);
        sb.Append(";kind=").Append((int)m.Kind).Append(";dram_type=");
        if (m.DramType is { } d) Str(sb, d); else sb.Append("none");
        sb.Append(";capacity_bytes=").Append(m.CapacityBytes).Append(";width_bits=").Append(m.WidthBits)
          .Append(";banks=").Append(m.Banks).Append(";read_bytes_per_cycle=");
        Num(sb, m.ReadBytesPerCycle);
        sb.Append(";write_bytes_per_cycle=");
        Num(sb, m.WriteBytesPerCycle);
        sb.Append(";holds=").Append((int)m.Holds).Append(";double_buffered=");
        Bool(sb, m.DoubleBuffered);
        sb.Append(";per_pe=");
        Bool(sb, m.PerPe);
        sb.Append(";cell=").Append((int)m.Cell).Append(";may_bypass=").Append((int)m.MayBypass).Append(";mapping=");
        if (m.Mapping is not { } map) { sb.Append("none"); return; }
        sb.Append("order:");
        if (map.Order is { } o) sb.Append((int)o); else sb.Append("none");
        sb.Append(",tile_m:");
        Opt(sb, map.TileM);
        sb.Append(",tile_k:");
        Opt(sb, map.TileK);
        sb.Append(",tile_n:");
        Opt(sb, map.TileN);
        sb.Append(",source:");
        Str(sb, map.Source); // named in errors a mapping reports, so it is part of what the row can say
    }

    /// <summary>The pinned cost figures, in the file's order (a later one of the same path wins, so order matters).</summary>
    public static void Overrides(StringBuilder sb, IReadOnlyList<CostOverride> overrides)
    {
        sb.Append("count=").Append(overrides.Count);
        foreach (var o in overrides)
        {
            sb.Append(";path=");
            Str(sb, o.Path);
            sb.Append(",value=");
            Num(sb, o.Value);
            sb.Append(",source=");
            Str(sb, o.Source);
        }
    }

    /// <summary>The whole-chip components, or none.</summary>
    public static void Chip(StringBuilder sb, ChipSpec? c)
    {
        if (c is null) { sb.Append("none"); return; }
        sb.Append("control=");
        Bool(sb, c.Control);
        sb.Append(";dma_engines=").Append(c.DmaEngines).Append(";post_processing_lanes=").Append(c.PostProcessingLanes)
          .Append(";pcie_lanes=").Append(c.PcieLanes).Append(";pcie_generation=").Append((int)c.PcieGeneration).Append(";dram_phy=");
        Bool(sb, c.DramPhy);
        sb.Append(";interconnect=");
        Bool(sb, c.Interconnect);
        sb.Append(";clock_tree=");
        Bool(sb, c.ClockTree);
        sb.Append(";fitted_area=");
        Bool(sb, c.FittedArea);
    }

    /// <summary>A number format by its structure, not only its name (a float format's alias and flavour, a block's parts).</summary>
    private static void Format(StringBuilder sb, NumberFormat f)
    {
        switch (f)
        {
            case IntFormat i: sb.Append(i.Signed ? "int" : "uint").Append(i.IntBits); break;
            case FloatFormat fl:
                sb.Append("fp(e").Append(fl.ExponentBits).Append(",m").Append(fl.MantissaBits).Append(',').Append((int)fl.Flavor).Append(',');
                if (fl.Alias is { } a) Str(sb, a); else sb.Append("none");
                sb.Append(')');
                break;
            case PositFormat p: sb.Append("posit(").Append(p.PositBits).Append(',').Append(p.Es).Append(')'); break;
            case ExactAccumulatorFormat x:
                sb.Append(x.IsQuire ? "quire(" : "exact(").Append(x.AccumulatorBits).Append(',').Append(x.CarryBits).Append(')');
                break;
            case BlockFormat b:
                sb.Append("block(");
                Str(sb, b.BlockName);
                sb.Append(',');
                Format(sb, b.Element);
                sb.Append(',');
                Format(sb, b.Scale);
                sb.Append(',').Append(b.BlockSize).Append(',').Append(b.ElementScaleExponent).Append(')');
                break;
            default: // formats without parameters (ternary, e8m0): the name says it all
                sb.Append(f.GetType().Name).Append(':');
                Str(sb, f.Name);
                break;
        }
    }

    // a string as length:text, so no text can end one field and start another
    private static void Str(StringBuilder sb, string s) => sb.Append(s.Length).Append(':').Append(s);

    private static void Bool(StringBuilder sb, bool b) => sb.Append(b ? '1' : '0');

    private static void Opt(StringBuilder sb, long? v)
    {
        if (v is { } x) sb.Append(x); else sb.Append("none");
    }

    // the shortest text that reads back as the same double; -0 as 0 (equal to it by record equality). The thread's last
    // number is kept with its text: a level's read and write bandwidth are most often one number.
    private static void Num(StringBuilder sb, double d)
    {
        if (d == 0) d = 0.0;
        long bits = BitConverter.DoubleToInt64Bits(d);
        var text = t_numText ??= new char[32];
        if (t_numLength == 0 || bits != t_numBits)
        {
            if (!d.TryFormat(text, out int n, "R", CultureInfo.InvariantCulture)) { t_numLength = 0; sb.Append(CultureInfo.InvariantCulture, $"{d:R}"); return; }
            t_numBits = bits;
            t_numLength = n;
        }
        sb.Append(text, 0, t_numLength);
    }

    [ThreadStatic] private static char[]? t_numText;
    [ThreadStatic] private static int t_numLength;
    [ThreadStatic] private static long t_numBits;
}
