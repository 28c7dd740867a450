using Mantissa.Arch.Config;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost.Chip;

/// <summary>
/// The interface units one DRAM level needs on the chip: DDR-family channels of the type's width, or 1024-bit HBM stacks,
/// enough for the level's bandwidth at the type's JEDEC pin rate. Their PHYs, controllers and PHY static power are priced
/// per unit.
/// </summary>
internal readonly record struct DramChannels(string Type, bool Hbm, int UnitBits, int Units, string Why)
{
    public static DramChannels Of(ArchitectureSpec arch, MemoryLevelSpec m, CostData.Constants k)
    {
        string type = m.DramType ?? "ddr4";
        var (gbps, rateSrc) = k.Get("pin_gbps_" + type);
        double bandwidthGBps = m.ReadBytesPerCycle * arch.ClockMhz * 1e-3;
        bool hbm = type.StartsWith("hbm", StringComparison.Ordinal);
        int unitBits = hbm ? 1024 : DramTypes.ChannelBits(type);
        int units = Math.Max(1, (int)Math.Ceiling(bandwidthGBps / (unitBits * gbps / 8) - 1e-9));
        string why = $"{units} x {unitBits}-bit {(hbm ? "stack" : "channel")} for {bandwidthGBps:0.#} GB/s at {gbps} Gb/s per pin ({rateSrc})";
        return new DramChannels(type, hbm, unitBits, units, why);
    }
}
