namespace Mantissa.Arch.Model;

/// <summary>PCIe generation of a host interface; each prices its PHY and controller per lane.</summary>
public enum PcieGeneration { Gen3 = 3, Gen4 = 4, Gen5 = 5 }

/// <summary>
/// The parts of a whole chip beyond the PE array and its memories (YAML <c>chip:</c>, ASIC only). Each one that is
/// declared gets its own rows in <c>mantissa cost</c>; a design without the section prices the array and memories only.
/// </summary>
public sealed record ChipSpec(
    // One instruction sequencer (fetch, decode, issue to the array and the DMA engines).
    bool Control,
    // DMA engines moving data between DRAM, host and on-chip buffers (one 2-D transfer descriptor each).
    int DmaEngines,
    // Lanes of the post-processing unit (bias, scale, requantize, activation table, pooling): NVDLA's SDP/PDP/CDP, TPU's
    // activation pipeline.
    int PostProcessingLanes,
    // PCIe lanes of the host interface (0: none) and their generation.
    int PcieLanes,
    PcieGeneration PcieGeneration,
    // PHY and controller of every DRAM level, sized from its type and bandwidth.
    bool DramPhy,
    // Data buses from each on-chip buffer to the array, across half the die.
    bool Interconnect,
    // The clock distribution network to every flip-flop of the array.
    bool ClockTree,
    // Scale composed logic and shared SRAM by the chip-level factors `mantissa calibrate --chips` fits to published
    // whole-chip areas (chip_fit.* rows): on for every whole chip, so all are priced by one rule; off only as a what-if.
    bool FittedArea = true);
