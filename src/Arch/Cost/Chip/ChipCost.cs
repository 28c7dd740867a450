namespace Mantissa.Arch.Cost.Chip;

/// <summary>The whole-chip components of one design: their area rows, energy rows and the power they draw every cycle.</summary>
public sealed record ChipCost(IReadOnlyList<AreaItem> Areas, IReadOnlyList<ActionEnergy> Energies, double AlwaysOnMw, IReadOnlyList<string> NotDeclared)
{
    public static readonly ChipCost None = new([], [], 0, []);
}
