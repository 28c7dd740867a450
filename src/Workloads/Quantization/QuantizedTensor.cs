namespace Mantissa.Workloads.Quantization;

/// <summary>The dequantized values of a tensor under a scheme, and the storage cost in bits per element including all metadata.</summary>
public sealed record QuantizedTensor(QuantScheme Scheme, double[] Values, double BitsPerElement);
