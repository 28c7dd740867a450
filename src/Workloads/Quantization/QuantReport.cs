namespace Mantissa.Workloads.Quantization;

/// <summary>One row of a quantization study: the scheme, its storage cost (bits/element incl. scales) and its error.</summary>
public sealed record QuantReport(QuantScheme Scheme, double BitsPerElement, QuantError Error);
