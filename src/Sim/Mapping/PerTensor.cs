using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Mapping;

/// <summary>One quantity per GEMM tensor (bits, bytes, words), indexed by <see cref="Tensor"/>.</summary>
public struct PerTensor
{
    public double Left, Right, Output;

    public PerTensor(double left, double right, double output) { Left = left; Right = right; Output = output; }

    public double this[Tensor t]
    {
        readonly get => t switch { Tensor.Left => Left, Tensor.Right => Right, _ => Output };
        set { switch (t) { case Tensor.Left: Left = value; break; case Tensor.Right: Right = value; break; default: Output = value; break; } }
    }

    public readonly double Sum => Left + Right + Output;

    public static PerTensor operator *(PerTensor a, double f) => new(a.Left * f, a.Right * f, a.Output * f);

    /// <summary>The three tensors in index order (Left, Right, Output).</summary>
    public static readonly Tensor[] All = { Tensor.Left, Tensor.Right, Tensor.Output };
}
