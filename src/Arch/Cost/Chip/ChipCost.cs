namespace Mantissa.Arch.Cost.Chip;

/// <summary>The whole-chip components of one design: their area rows, energy rows and the energy they draw every cycle
/// (the clock tree's, pJ; times the clock it is the always-on power).</summary>
public sealed record ChipCost(IReadOnlyList<AreaItem> Areas, IReadOnlyList<ActionEnergy> Energies, double ClockTreePjPerCycle, IReadOnlyList<string> NotDeclared)
{
    public static readonly ChipCost None = new([], [], 0, []);
}
