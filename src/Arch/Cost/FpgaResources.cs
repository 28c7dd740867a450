namespace Mantissa.Arch.Cost;

/// <summary>FPGA resource counts: LUTs, flip-flops, DSP slices, BRAM18 halves and URAM blocks.</summary>
public readonly record struct FpgaResources(double Luts, double Ffs, double Dsps, double Bram18, double Uram)
{
    public double Bram36 => Bram18 / 2;

    public static FpgaResources operator +(FpgaResources x, FpgaResources y) =>
        new(x.Luts + y.Luts, x.Ffs + y.Ffs, x.Dsps + y.Dsps, x.Bram18 + y.Bram18, x.Uram + y.Uram);

    public static FpgaResources operator *(FpgaResources x, double k) => new(x.Luts * k, x.Ffs * k, x.Dsps * k, x.Bram18 * k, x.Uram * k);
}

/// <summary>One row of the FPGA resource breakdown.</summary>
public sealed record FpgaResourceItem(string Component, FpgaResources Used, string Source);

/// <summary>Utilization of one resource class.</summary>
public sealed record FpgaUtilization(string Resource, double Used, double Available)
{
    public double Percent => Available > 0 ? 100 * Used / Available : Used > 0 ? double.PositiveInfinity : 0;
}
