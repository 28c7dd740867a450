using System.Globalization;
using System.Reflection;

namespace Mantissa.Arch.Cost;

/// <summary>A small CSV table embedded in the assembly (lines starting with # are comments; fields may be quoted).</summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    // loops and parallel lists, not LINQ over (string, int) / (int, string[]) tuples: each such instantiation is
    // JIT-compiled at every start-up (ReadyToRun cannot precompile it)
    private CsvTable(string name, string[] header, List<int> lines, List<string[]> fields)
    {
        Name = name;
        _columns = new Dictionary<string, int>(header.Length, StringComparer.Ordinal);
        for (int i = 0; i < header.Length; i++) _columns.Add(header[i], i);
        var rows = new CsvRow[lines.Count];
        for (int i = 0; i < rows.Length; i++) rows[i] = new CsvRow(this, lines[i], fields[i]);
        Rows = rows;
    }

    public string Name { get; }
    public IReadOnlyList<CsvRow> Rows { get; }

    internal int Column(string name) =>
        _columns.TryGetValue(name, out int i) ? i : throw new InvalidDataException($"{Name}: no column '{name}'");

    /// <summary>Loads <c>Data/&lt;file&gt;</c> from the embedded resources of Mantissa.Arch.</summary>
    public static CsvTable LoadEmbedded(string file)
    {
        var asm = typeof(CsvTable).Assembly;
        using var stream = asm.GetManifestResourceStream("Mantissa.Arch.Data." + file)
            ?? throw new InvalidDataException($"embedded data file '{file}' is missing from {asm.GetName().Name}");
        using var reader = new StreamReader(stream);
        return Parse(file, reader.ReadToEnd());
    }

    public static CsvTable Parse(string name, string text)
    {
        string[]? header = null;
        var rowLines = new List<int>();
        var rowFields = new List<string[]>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = SplitLine(line, name, i + 1);
            if (header is null) { header = fields; continue; }
            if (fields.Length != header.Length)
                throw new InvalidDataException($"{name}, line {i + 1}: {fields.Length} fields, expected {header.Length}");
            rowLines.Add(i + 1);
            rowFields.Add(fields);
        }
        return new CsvTable(name, header ?? throw new InvalidDataException($"{name}: no header"), rowLines, rowFields);
    }

    private static string[] SplitLine(string line, string name, int lineNo)
    {
        var fields = new List<string>();
        var cur = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cur.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cur.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(c);
        }
        if (quoted) throw new InvalidDataException($"{name}, line {lineNo}: unterminated quote");
        fields.Add(cur.ToString());
        return fields.ToArray();
    }
}

/// <summary>One data row of a <see cref="CsvTable"/>, with typed field access that names file, line and column on error.</summary>
internal sealed class CsvRow(CsvTable table, int line, string[] fields)
{
    public int Line { get; } = line;

    public string Text(string column) => fields[table.Column(column)];

    public bool Has(string column) => fields[table.Column(column)].Length > 0;

    public double Number(string column)
    {
        string s = Text(column);
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v : throw new InvalidDataException($"{table.Name}, line {Line}, column {column}: expected a number, got '{s}'");
    }

    public int Integer(string column) => checked((int)Number(column));
}
