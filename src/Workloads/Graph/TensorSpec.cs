using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads;

/// <summary>
/// One tensor as an operator sees it: shape, role and the number format it is stored in.
/// <para>Quantization groups (<see cref="GroupSize"/> &gt; 0) run along the reduction axis: for weights all
/// dimensions after the first ([out, in] for linear layers, [Cout, Cin/g, KH, KW] for convolutions),
/// for other tensors the last dimension. Each group stores a <see cref="ScaleBits"/>-bit scale, plus a
/// <see cref="ZeroPointBits"/>-bit zero point when asymmetric and <see cref="GroupExtraBits"/> of other metadata.
/// Block formats (MX, NVFP4) carry their own shared scale in <see cref="NumberFormat.BitsPerElement"/>.</para>
/// </summary>
public sealed record TensorSpec(
    string Name,
    long[] Shape,
    TensorRole Role,
    NumberFormat Format,
    int GroupSize = 0,
    int ScaleBits = 16,
    int ZeroPointBits = 0,
    int GroupExtraBits = 0)
{
    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public long Elements
    {
        get
        {
            long n = 1;
            foreach (var d in Shape) n = checked(n * d);
            return n;
        }
    }

    /// <summary>Number of quantization groups (0 when <see cref="GroupSize"/> is 0).</summary>
    public long Groups
    {
        get
        {
            if (GroupSize <= 0 || Shape.Length == 0) return 0;
            long inner = 1;
            if (Role == TensorRole.Weight && Shape.Length > 1)
                for (int i = 1; i < Shape.Length; i++) inner *= Shape[i];
            else inner = Shape[^1];
            if (inner == 0) return 0;
            long outer = Elements / inner;
            return outer * ((inner + GroupSize - 1) / GroupSize);
        }
    }

    /// <summary>Storage bytes: elements at the format's bits (block scales amortised) plus per-group scales and zero points.</summary>
    public double Bytes => (Elements * Format.BitsPerElement + (double)Groups * (ScaleBits + ZeroPointBits + GroupExtraBits)) / 8.0;

    /// <summary>Bytes of <paramref name="elements"/> elements of this tensor (a slice), with their share of group metadata.</summary>
    public double BytesOf(long elements) => Elements == 0 ? 0 : Bytes * elements / Elements;

    /// <summary>Shape written as <c>1x2048x4096</c>.</summary>
    public string ShapeText => string.Join("x", Shape);

    public override string ToString() => $"{Name}[{ShapeText}] {Role} {Format.Name}" + (GroupSize > 0 ? $" g{GroupSize}" : "");
}
