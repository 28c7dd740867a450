namespace Mantissa.Workloads.Quantization;

/// <summary>
/// The dequantized values of a tensor under a scheme, the storage cost in bits per element including all metadata, and
/// the stored scale of each segment: <see cref="SegmentLength"/> consecutive elements of a row share
/// <c>Scales[row·segmentsPerRow + k]</c>; SegmentLength 0 means one scale (<c>Scales[0]</c>) for the whole tensor.
/// </summary>
public sealed record QuantizedTensor(QuantScheme Scheme, double[] Values, double BitsPerElement, int SegmentLength, double[] Scales);
