using Mantissa.Arch.Cost;
using Mantissa.Workloads;
using Mantissa.Workloads.Quantization;

namespace Mantissa.Sim.Results;

/// <summary>
/// What metrics are computed from: the simulation, the FPGA mapping (FPGA targets), the weight-quantization error and
/// the workload simulated (for the serving metrics; null for a bare GEMM).
/// </summary>
public sealed record MetricInputs(SimResult Sim, FpgaReport? Fpga = null, QuantError? Quant = null, Workload? Workload = null);
