namespace Mantissa.Arch.Cost;

/// <summary>
/// The Vitis platform's HBM Memory Sub-System (HMSS) on an HBM card: the AXI ports between the kernel and the HBM
/// pseudo-channels, placed in the platform's dynamic region beside the kernel, so a full-device utilisation report counts them.
/// </summary>
public static class FpgaHbmSubsystem
{
    /// <summary>Component name of the HMSS row in the resource breakdown.</summary>
    public const string Component = "hbm_memory_subsystem";

    /// <summary>
    /// The HMSS row of a design that moves <paramref name="dramBytesPerCycle"/> bytes of HBM traffic per kernel cycle, or null
    /// on a device without HBM or a design without a DRAM level. One rule for every design on an HBM device: as many
    /// 512-bit ports as the configured bandwidth needs at the kernel clock, at most one per pseudo-channel, each at the
    /// per-channel LUT and FF cost.
    /// </summary>
    public static FpgaResourceItem? For(FpgaDevice device, double dramBytesPerCycle)
    {
        if (device.HbmChannels <= 0 || dramBytesPerCycle <= 0) return null;
        var k = CostData.Fpga;
        var (portBits, _) = k.Get("hbm_port_bits");
        var (luts, lutSrc) = k.Get("hbm_port_luts");
        var (ffs, ffSrc) = k.Get("hbm_port_ffs");
        int ports = Ports(device, dramBytesPerCycle, portBits);
        string how = $"{ports} x {portBits}-bit HBM ports (configured bandwidth / {portBits / 8} B per cycle, at most {device.HbmChannels}" +
            $" pseudo-channels) x {luts:0} LUT + {ffs:0} FF: " + (lutSrc == ffSrc ? lutSrc : lutSrc + "; " + ffSrc);
        return new FpgaResourceItem(Component, new FpgaResources(ports * luts, ports * ffs, 0, 0, 0), how);
    }

    /// <summary>HBM ports a design needs: its configured bytes per cycle over one port's width, capped at the device's channels.</summary>
    public static int Ports(FpgaDevice device, double dramBytesPerCycle, double portBits) =>
        (int)Math.Min(device.HbmChannels, Math.Ceiling(dramBytesPerCycle * 8 / portBits - 1e-9));
}
