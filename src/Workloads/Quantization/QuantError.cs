namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Quantization error of one tensor: mean squared error, signal-to-quantization-noise ratio in dB
/// (10·log10(Σx²/Σ(x−q)²); +∞ when exact) and the largest absolute element error.
/// </summary>
public readonly record struct QuantError(double Mse, double SqnrDb, double MaxAbsError);
