using Mantissa.Sim.Compute;

namespace Mantissa.Sim;

/// <summary>
/// One operator lowered for simulation: a GEMM, or an element-wise/reduction operator described by its element
/// count and the bytes it reads and writes.
/// </summary>
public sealed record SimOperator(string Name, string Kind, GemmProblem? Gemm, long Elements = 0, double BytesIn = 0, double BytesOut = 0);
