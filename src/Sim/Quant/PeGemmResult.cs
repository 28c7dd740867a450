using Mantissa.Workloads.Quantization;

namespace Mantissa.Sim.Quant;

/// <summary>
/// Output error of a quantized GEMM run through a PE datapath (<see cref="Datapath"/>) and with the same quantized
/// operands accumulated exactly (<see cref="Ideal"/>), both against the unquantized GEMM; the gap is the datapath's own rounding.
/// </summary>
public sealed record PeGemmResult(string Pe, QuantError Datapath, QuantError Ideal, long Cycles, int Rows, int Tokens);
