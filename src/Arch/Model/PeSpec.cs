using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

/// <summary>What happens when an integer accumulator overflows.</summary>
public enum OverflowMode { Wrap, Saturate }

/// <summary>Which operand a bit-serial PE consumes serially.</summary>
public enum SerialOperand { Weights, Activations }

/// <summary>How LUT tensor-core table entries are stored.</summary>
public enum LutEntryMode { Exact, Fp16, Int8 }

/// <summary>Where a LUT PE's tables are built: once per activation group in a shared unit, or by every PE for itself.</summary>
public enum LutPrecompute { Shared, PerPe }

/// <summary>One PE: its kind (<see cref="PeKind"/>, the descriptor of everything kind-specific), operand and accumulator formats, dot-product width and kind-specific parameters.</summary>
public sealed record PeSpec(
    PeKind Kind,
    NumberFormat WeightFormat,
    NumberFormat ActivationFormat,
    NumberFormat Accumulator,
    int DotWidth,
    PeParameters Parameters);

/// <summary>Kind-specific PE parameters; each kind reads only the ones that apply to it.</summary>
public sealed record PeParameters
{
    /// <summary>bit_serial, lut: bits of the serial operand (lut: weight bit-planes) consumed per cycle (1, 2 or 4).</summary>
    public int BitsPerCycle { get; init; } = 1;
    /// <summary>bit_serial: which operand is serial.</summary>
    public SerialOperand SerialOperand { get; init; } = SerialOperand.Weights;
    /// <summary>lut: activations per table (g = 1..8).</summary>
    public int LutGroup { get; init; } = 4;
    /// <summary>lut: table-entry storage.</summary>
    public LutEntryMode LutEntries { get; init; } = LutEntryMode.Exact;
    /// <summary>lut: shared = tables built once per activation group by a pipelined precompute unit and shared by the PEs
    /// along N (LUT Tensor Core, T-MAC), costing the PE no cycles; per_pe = each PE builds its tables, 2^(g−1) cycles per pass.</summary>
    public LutPrecompute LutPrecompute { get; init; } = LutPrecompute.Shared;
    /// <summary>lut: symmetric tables store 2^(g−1) entries and take the sign from the index MSB (LUT Tensor Core's weight
    /// reinterpretation, T-MAC); false stores all 2^g entries, as conventional LUT designs do.</summary>
    public bool LutSymmetric { get; init; } = true;
    /// <summary>Quantization group size along K (bit_serial, lut, shift_add); 0 = per-channel.</summary>
    public int GroupSize { get; init; } = 128;
    /// <summary>simd_mac: lanes (the formats a 16-bit lane is split into are derived from the operand format).</summary>
    public int Lanes { get; init; } = 1;
    /// <summary>Integer accumulators: wrap or saturate on overflow.</summary>
    public OverflowMode Overflow { get; init; } = OverflowMode.Wrap;
    /// <summary>posit_mac: accumulate in a quire (exact) rather than with a posit fma per term.</summary>
    public bool Quire { get; init; } = true;
    /// <summary>Pipeline stages of the PE datapath (adds to the fill/drain latency of a tile).</summary>
    public int PipelineDepth { get; init; } = 1;
}
