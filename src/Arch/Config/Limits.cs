namespace Mantissa.Arch.Config;

/// <summary>
/// The physically meaningful range of every architecture number (docs/architecture.md, "Ranges"). Values outside
/// are refused with a positioned error: they describe no buildable chip, and their products (PEs × cycles × bytes)
/// would leave the range where 64-bit integers and doubles count exactly.
/// </summary>
internal static class Limits
{
    /// <summary>1 MHz (the slowest always-on sensor accelerators) to 10 GHz (above any shipped digital logic clock).</summary>
    public const double MinClockMhz = 1, MaxClockMhz = 10_000;

    /// <summary>1 nm to 250 nm: every CMOS node a design could name (the cost model's scaling table is narrower and says so).</summary>
    public const double MinNodeNm = 1, MaxNodeNm = 250;

    /// <summary>0.2 V (deep near-threshold) to 2 V (above any core supply since 250 nm).</summary>
    public const double MinVdd = 0.2, MaxVdd = 2;

    /// <summary>
    /// At most 2^24 = 16,777,216 PEs: 18× Cerebras WSE-3's 900,000 cores, the largest chip built; it keeps
    /// PE count × cycles and PE count × bytes far inside 64 bits and PE counts inside a 32-bit int.
    /// </summary>
    public const long MaxPes = 1 << 24;

    /// <summary>1 TiB per memory level: more than any single memory a chip addresses (HBM3e devices hold 192 GB).</summary>
    public const long MaxCapacityBytes = 1L << 40;

    /// <summary>1 MB/s to 100 PB/s (Cerebras WSE-3's on-wafer SRAM delivers 21 PB/s).</summary>
    public const double MinBandwidthGbps = 1e-3, MaxBandwidthGbps = 1e8;

    /// <summary>1/1024 byte per cycle to 16 MiB per cycle for a level's port.</summary>
    public const double MinBytesPerCycle = 1.0 / 1024, MaxBytesPerCycle = 1 << 24;

    /// <summary>Pinned costs (µm², pJ, mW, resource counts) are below 10^12 in any unit used.</summary>
    public const double MaxOverrideValue = 1e12;
}
