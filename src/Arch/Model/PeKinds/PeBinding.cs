using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

/// <summary>A PE as the binder has read it, for the checks that relate keys to each other: the parameters as written
/// (defaults for omitted keys), the dot width, and the accumulator (null when it could not be bound).</summary>
public sealed record PeBinding(PeKind Kind, NumberFormat Weights, NumberFormat Activations, NumberFormat? Accumulator,
    int DotWidth, PeParameters Parameters);

/// <summary>A problem the binder reports: the key, the message, and whether it is at the key (the key does not fit) or at
/// its value.</summary>
public sealed record PeProblem(string Key, string Message, bool AtKey = false);
