namespace Mantissa.Arch.Numerics;

/// <summary>The class of a decoded code: zero, subnormal, normal (any other finite value), infinity, or NaN (posit NaR).</summary>
public enum NumberClass { Zero, Subnormal, Normal, Infinity, NaN }
