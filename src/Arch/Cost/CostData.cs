namespace Mantissa.Arch.Cost;

/// <summary>The embedded cost tables, each parsed once on first use and shared by every evaluation.</summary>
internal static class CostData
{
    private static readonly Lazy<TechnologyScaling> _scaling = new(() => new TechnologyScaling(CsvTable.LoadEmbedded("tech_scaling.csv")));
    private static readonly Lazy<Constants> _asicConstants = new(() => new Constants(CsvTable.LoadEmbedded("asic_constants.csv")));
    private static readonly Lazy<Constants> _fpgaConstants = new(() => new Constants(CsvTable.LoadEmbedded("fpga_constants.csv")));
    private static readonly Lazy<Constants> _chipConstants = new(() => new Constants(CsvTable.LoadEmbedded("chip_constants.csv")));
    private static readonly Lazy<ComponentLibrary> _library = new(() => new ComponentLibrary(CsvTable.LoadEmbedded("asic_primitives.csv"), Scaling));
    private static readonly Lazy<MemoryLibrary> _memory = new(() =>
        new MemoryLibrary(CsvTable.LoadEmbedded("sram_cacti.csv"), CsvTable.LoadEmbedded("dram.csv"),
            CsvTable.LoadEmbedded("sram_leakage.csv"), Scaling));

    public static TechnologyScaling Scaling => _scaling.Value;
    public static Constants Asic => _asicConstants.Value;
    public static Constants Fpga => _fpgaConstants.Value;
    public static Constants Chip => _chipConstants.Value;
    public static ComponentLibrary Library => _library.Value;
    public static MemoryLibrary Memory => _memory.Value;

    /// <summary>A name → (value, source) table.</summary>
    internal sealed class Constants
    {
        private readonly Dictionary<string, SourcedValue> _values;

        public Constants(CsvTable table) => _values = SourcedValue.ByKey(table, r => r.Text("name"), "value");

        public double this[string name] => Find(name).Value;

        public bool Has(string name) => _values.ContainsKey(name);

        public (double Value, string Source) Get(string name)
        {
            var v = Find(name);
            return (v.Value, v.Source);
        }

        private SourcedValue Find(string name) =>
            _values.TryGetValue(name, out var v) ? v : throw new InvalidDataException($"cost constant '{name}' missing from the data table");
    }
}
