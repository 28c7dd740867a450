namespace Mantissa.Arch.Cost;

/// <summary>One FPGA device: full-device resources, DSP slice type, off-chip memory (and its HBM channels) and clock limits, with sources.</summary>
public sealed record FpgaDevice(
    string Name, string Part, string Family, double NodeNm, double Vdd,
    long Luts, long Ffs, long Dsps, string DspType, long Bram36, long Uram,
    string MemoryType, double MemoryGBps, double DspFmaxMhz, double TypicalClockMhz, string Source,
    double StaticW = 0, string StaticSource = "", double BoardStaticW = 0, string BoardStaticSource = "", int HbmChannels = 0)
{
    /// <summary>BRAM18 halves available (each BRAM36 splits into two).</summary>
    public long Bram18 => 2 * Bram36;
}

/// <summary>The bundled FPGA devices (data file <c>fpga_devices.csv</c>), looked up by lower-case board name.</summary>
public static class FpgaDeviceTable
{
    private static readonly Lazy<Dictionary<string, FpgaDevice>> _devices = new(() =>
        CsvTable.LoadEmbedded("fpga_devices.csv").Rows.Select(r => new FpgaDevice(
            r.Text("name"), r.Text("part"), r.Text("family"), r.Number("node_nm"), r.Number("vdd"),
            (long)r.Number("lut"), (long)r.Number("ff"), (long)r.Number("dsp"), r.Text("dsp_type"),
            (long)r.Number("bram36"), (long)r.Number("uram"), r.Text("mem_type"), r.Number("mem_gbps"),
            r.Number("dsp_fmax_mhz"), r.Number("typical_clock_mhz"), r.Text("source"),
            r.Number("static_w"), r.Text("static_source"), r.Number("board_static_w"), r.Text("board_static_source"),
            r.Integer("hbm_channels")))
        .ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase));

    /// <summary>Device names, in file order.</summary>
    public static IReadOnlyList<string> Names => _devices.Value.Values.Select(d => d.Name).ToList();

    public static bool TryGet(string name, out FpgaDevice device)
    {
        bool ok = _devices.Value.TryGetValue(name ?? "", out var d);
        device = d!;
        return ok;
    }

    /// <summary>The device, or a <see cref="MantissaException"/> listing the known names.</summary>
    public static FpgaDevice Get(string name) =>
        TryGet(name, out var d) ? d : throw new MantissaException($"unknown FPGA device '{name}'; known devices: {string.Join(", ", Names)}");
}
