using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost.Chip;

/// <summary>What kind of silicon an area row is, for the chip-level fit: logic, an on-chip SRAM level, a block whose
/// published area is already laid out (PHYs, controllers from die shots), or a row the fit itself added.</summary>
public enum ChipAreaClass { Logic, Sram, Fixed, Fitted }

/// <summary>Sorts the area rows of a design into <see cref="ChipAreaClass"/>es.</summary>
public static class ChipAreaClasses
{
    /// <summary>Prefix of the rows <see cref="ChipFit"/> adds.</summary>
    public const string FittedPrefix = "chip_fit.";

    /// <summary>The class of <paramref name="item"/> in <paramref name="arch"/>'s breakdown. Shared SRAM levels are SRAM; per-PE
    /// levels are flip-flop register files beside the PE (logic); PHY and controller rows come from die-shot areas and
    /// are not scaled.</summary>
    public static ChipAreaClass Of(AreaItem item, ArchitectureSpec arch)
    {
        string n = item.Component;
        if (n.StartsWith(FittedPrefix, StringComparison.Ordinal)) return ChipAreaClass.Fitted;
        if (n == "pcie_phy" || IsController(n, arch)) return ChipAreaClass.Fixed;
        foreach (var m in arch.Memory)
        {
            if (m.Kind == MemoryKind.Dram && n == m.Name + ".phy") return ChipAreaClass.Fixed;
            if (m.Name == n) return m.Kind == MemoryKind.Sram && !m.PerPe ? ChipAreaClass.Sram : ChipAreaClass.Logic;
        }
        return ChipAreaClass.Logic;
    }

    /// <summary>Whether <paramref name="item"/> is digital logic that leaks like the PE array: logic rows, the DRAM and PCIe
    /// controllers (die-shot areas, but digital) and the fitted logic area; not PHYs (analog) nor SRAM.</summary>
    public static bool IsLeakingLogic(AreaItem item, ArchitectureSpec arch) =>
        item.Component == FittedPrefix + "logic" || IsController(item.Component, arch) || Of(item, arch) == ChipAreaClass.Logic;

    private static bool IsController(string n, ArchitectureSpec arch)
    {
        if (n == "pcie_controller") return true;
        foreach (var m in arch.Memory)
            if (m.Kind == MemoryKind.Dram && n == m.Name + ".controller") return true;
        return false;
    }

    /// <summary>Logic, SRAM and fixed area (mm²) of the rows <paramref name="covered"/> selects; fitted rows are left out.</summary>
    public static (double Logic, double Sram, double Fixed) Split(IEnumerable<AreaItem> rows, ArchitectureSpec arch, Func<AreaItem, bool>? covered = null)
    {
        double l = 0, s = 0, f = 0;
        foreach (var a in rows)
        {
            if (covered is not null && !covered(a)) continue;
            switch (Of(a, arch))
            {
                case ChipAreaClass.Logic: l += a.AreaMm2; break;
                case ChipAreaClass.Sram: s += a.AreaMm2; break;
                case ChipAreaClass.Fixed: f += a.AreaMm2; break;
            }
        }
        return (l, s, f);
    }
}
