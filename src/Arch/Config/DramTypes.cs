namespace Mantissa.Arch.Config;

/// <summary>DRAM technologies a memory level may name, with the access width used when <c>width_bits</c> is omitted.</summary>
internal static class DramTypes
{
    /// <summary>(type, data width of one channel in bits, source).</summary>
    public static readonly IReadOnlyList<(string Name, int ChannelBits, string Source)> Table =
    [
        ("hbm2", 128, "JEDEC JESD235A: 8 channels × 128 bits per stack"),
        ("hbm2e", 128, "JEDEC JESD235C: 8 channels × 128 bits per stack"),
        ("hbm3", 64, "JEDEC JESD238: 16 channels × 64 bits per stack"),
        ("ddr4", 64, "JEDEC JESD79-4: 64-bit DIMM data bus"),
        ("ddr5", 64, "JEDEC JESD79-5: two 32-bit subchannels per DIMM"),
        ("lpddr4", 16, "JEDEC JESD209-4: 16-bit channel"),
        ("lpddr5", 16, "JEDEC JESD209-5: 16-bit channel"),
        ("gddr6", 16, "JEDEC JESD250: two 16-bit channels per device"),
    ];

    public static IReadOnlyList<string> Names { get; } = Table.Select(t => t.Name).ToList();

    public static int ChannelBits(string name)
    {
        for (int i = 0; i < Table.Count; i++) if (Table[i].Name == name) return Table[i].ChannelBits; // a loop: read per design point
        throw new InvalidOperationException($"unknown DRAM type '{name}'");
    }
}
