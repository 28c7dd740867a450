using Mantissa.Arch.Cost;
using Mantissa.Workloads.Quantization;

namespace Mantissa.Sim.Results;

/// <summary>What metrics are computed from: the simulation, the FPGA mapping (FPGA targets) and the weight-quantization error.</summary>
public sealed record MetricInputs(SimResult Sim, FpgaReport? Fpga = null, QuantError? Quant = null);
