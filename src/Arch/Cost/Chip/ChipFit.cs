using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost.Chip;

/// <summary>The chip-level factors of <c>mantissa calibrate --chips</c> as area rows of their own (<c>chip_fit.logic</c>,
/// <c>chip_fit.sram</c>) for every design with a <c>chip:</c> section unless it sets <c>chip.fitted_area: false</c>.</summary>
public static class ChipFit
{
    /// <summary>The extra area the factors add over <paramref name="rows"/> (the design's composed rows), or none.</summary>
    public static IReadOnlyList<AreaItem> Rows(ArchitectureSpec arch, IEnumerable<AreaItem> rows)
    {
        if (arch.Chip is not { FittedArea: true }) return [];
        var k = CostData.Chip;
        var (fl, srcL) = k.Get("chip_fit_logic_factor");
        var (fs, srcS) = k.Get("chip_fit_sram_factor");
        var (l, s, _) = ChipAreaClasses.Split(rows, arch);
        return
        [
            new AreaItem(ChipAreaClasses.FittedPrefix + "logic", 1, (fl - 1) * l,
                FormattableString.Invariant($"x{fl} on {l:0.####} mm² of composed logic (PE array, per-PE levels, control, DMA, post-processing): {srcL}")),
            new AreaItem(ChipAreaClasses.FittedPrefix + "sram", 1, (fs - 1) * s,
                FormattableString.Invariant($"x{fs} on {s:0.####} mm² of shared SRAM: {srcS}")),
        ];
    }
}
