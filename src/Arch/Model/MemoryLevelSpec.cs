namespace Mantissa.Arch.Model;

/// <summary>Physical kind of a memory level.</summary>
public enum MemoryKind { Dram, Sram, RegFile }

/// <summary>ITRS device type of an SRAM's cells (CACTI's cell types); leakage differs by orders of magnitude between them.</summary>
public enum SramCell { Lop, Lstp, Hp }

/// <summary>Tensor classes a memory level may hold.</summary>
[Flags]
public enum TensorSet { None = 0, Weights = 1, Inputs = 2, Outputs = 4, All = 7 }

/// <summary>One level of the memory hierarchy (levels are ordered from DRAM inward).</summary>
public sealed record MemoryLevelSpec(
    string Name,
    MemoryKind Kind,
    // DRAM technology (e.g. <c>hbm2</c>, <c>ddr4</c>, <c>lpddr5</c>); null for on-chip levels.
    string? DramType,
    // Capacity in bytes of one instance; 0 means unbounded (DRAM).
    long CapacityBytes,
    // Width of one access in bits.
    int WidthBits,
    int Banks,
    // Sustained read bandwidth in bytes per clock cycle of the accelerator.
    double ReadBytesPerCycle,
    // Sustained write bandwidth in bytes per clock cycle of the accelerator.
    double WriteBytesPerCycle,
    TensorSet Holds,
    bool DoubleBuffered,
    // True when every PE has its own instance of this level.
    bool PerPe)
{
    /// <summary>Cell type of an SRAM level (YAML <c>cell:</c>); low operating power unless the file says otherwise.</summary>
    public SramCell Cell { get; init; } = SramCell.Lop;

    /// <summary>Mapping constraints at this level (YAML <c>mapping:</c>, or a <c>--mapping</c> file); null when the mapper is free.</summary>
    public LevelMappingSpec? Mapping { get; init; }

    /// <summary>Held tensors the mapper may choose to bypass at this level (YAML <c>may_bypass:</c>); none unless the file lists them.</summary>
    public TensorSet MayBypass { get; init; }
}
