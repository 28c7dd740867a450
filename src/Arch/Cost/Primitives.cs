namespace Mantissa.Arch.Cost;

/// <summary>The primitive hardware blocks a datapath is composed of.</summary>
public enum PrimitiveKind { IntMultiplier, Adder, FpMultiplier, FpAdder, Register, Shifter, LeadingZeroDetector, Mux }

/// <summary>
/// One primitive of given size: A×B bits for multipliers (significand bits for FP), A bits otherwise (Mux: A inputs of B bits;
/// Shifter: A output bits, B input bits when it places a narrower value, 0 for a full barrel shifter).
/// <see cref="EnergyK"/>/<see cref="AreaK"/> scale a primitive that a published overhead factor applies to.
/// </summary>
public readonly record struct PrimitiveUse(PrimitiveKind Kind, int A, int B = 0, double EnergyK = 1, double AreaK = 1);

/// <summary>A structural description: the primitives one datapath component is built from.</summary>
public sealed record Structure(IReadOnlyList<PrimitiveUse> Items)
{
    public static Structure operator +(Structure x, Structure y) => new(x.Items.Concat(y.Items).ToArray());
}

/// <summary>Short constructors for <see cref="Structure"/>s.</summary>
internal static class P
{
    public static Structure Mul(int a, int b) => One(PrimitiveKind.IntMultiplier, a, b);
    public static Structure Add(int bits) => One(PrimitiveKind.Adder, bits);
    public static Structure FpMul(int sigA, int sigB) => One(PrimitiveKind.FpMultiplier, sigA, sigB);
    public static Structure FpAdd(int sig) => One(PrimitiveKind.FpAdder, sig);
    public static Structure Reg(int bits) => One(PrimitiveKind.Register, bits);
    public static Structure Shift(int bits) => One(PrimitiveKind.Shifter, bits);
    /// <summary>A shifter placing an <paramref name="input"/>-bit value anywhere in a <paramref name="width"/>-bit field.</summary>
    public static Structure Place(int input, int width) => One(PrimitiveKind.Shifter, width, input);
    public static Structure Lzd(int bits) => One(PrimitiveKind.LeadingZeroDetector, bits);
    public static Structure Mux(int inputs, int bits) => One(PrimitiveKind.Mux, inputs, bits);
    private static Structure One(PrimitiveKind k, int a, int b = 0) => new(new[] { new PrimitiveUse(k, a, b) });
}
