namespace Mantissa.Arch.Cost;

/// <summary>
/// The Vitis platform (shell) a device's designs are built in: the static region and base logic it keeps for itself, from
/// <c>fpga_platforms.csv</c>. Charged as one row to every design on that device, since a full-device utilisation report
/// counts it as used whatever the kernel is.
/// </summary>
public static class FpgaPlatform
{
    /// <summary>Component name of the platform row in the resource breakdown.</summary>
    public const string Component = "platform";

    private sealed record Row(string Platform, FpgaResources Used, string Source);

    private static readonly Lazy<Dictionary<string, Row>> Rows = new(() => CsvTable.LoadEmbedded("fpga_platforms.csv").Rows
        .ToDictionary(r => r.Text("device"), r => new Row(r.Text("platform"),
            new FpgaResources(r.Number("lut"), r.Number("ff"), r.Number("dsp"), 2 * r.Number("bram36"), r.Number("uram")), r.Text("source")),
            StringComparer.OrdinalIgnoreCase));

    /// <summary>The platform row for designs on <paramref name="device"/>, or null when no platform is tabulated for it.</summary>
    public static FpgaResourceItem? For(FpgaDevice device) =>
        Rows.Value.TryGetValue(device.Name, out var p) ? new FpgaResourceItem(Component, p.Used, $"Vitis platform {p.Platform}: {p.Source}") : null;
}
