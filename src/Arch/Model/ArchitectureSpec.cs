using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

/// <summary>Whether a design is costed as an ASIC or mapped onto an FPGA device.</summary>
public enum Target { Asic, Fpga }

/// <summary>One accelerator, fully resolved and validated (the result of loading an architecture YAML).</summary>
public sealed record ArchitectureSpec(
    string Name,
    Target Target,
    TechnologySpec? Technology,
    FpgaSpec? Fpga,
    double ClockMhz,
    PeSpec Pe,
    ArraySpec Array,
    IReadOnlyList<MemoryLevelSpec> Memory,
    IReadOnlyList<CostOverride> Overrides,
    SimSwitches Switches)
{
    /// <summary>The file the design was loaded from, if any (for messages).</summary>
    public string? SourceFile { get; init; }

    /// <summary>Whole-chip components declared in the file's <c>chip:</c> section; null when it has none.</summary>
    public ChipSpec? Chip { get; init; }

    /// <summary>Rows × cols; the loader keeps it within 2^24, and a spec built in code that overflows throws instead of wrapping.</summary>
    public int PeCount => checked(Array.Rows * Array.Cols);
}

/// <summary>ASIC technology: process node in nm and supply voltage in volts.</summary>
public sealed record TechnologySpec(double NodeNm, double Vdd);

/// <summary>FPGA target: a device name from the device table (e.g. <c>u280</c>).</summary>
public sealed record FpgaSpec(string Device);

/// <summary>A named cost pinned to a published figure (e.g. <c>pe.area_um2</c>), with its source.</summary>
public sealed record CostOverride(string Path, double Value, string Source);

/// <summary>Accounting switches that reproduce other simulators' conventions.</summary>
public sealed record SimSwitches(bool ChargeAllPesEveryCycle = false, bool ModelFill = true);
