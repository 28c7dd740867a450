using Mantissa.Arch.Cost;
using Mantissa.Workloads.Quantization;

namespace Mantissa.Sim.Results;

/// <summary>What metrics are computed from: the simulation, the FPGA mapping (FPGA targets), the weight-quantization error and LLM serving facts.</summary>
public sealed record MetricInputs(SimResult Sim, FpgaReport? Fpga = null, QuantError? Quant = null, LlmServing? Serving = null);

/// <summary>Serving facts of an LLM workload: whether it is a decode step (else prefill) and the largest batch that fits DRAM (null: unknown capacity).</summary>
public sealed record LlmServing(bool Decode, long? MaxBatch);
