using System.Globalization;

namespace Mantissa.Explorer;

/// <summary>
/// Neutralises CSV formula injection (OWASP "CSV Injection"): a text cell starting with '=', '+', '-', '@', tab or
/// carriage return is prefixed with a single quote, so a spreadsheet shows it as text instead of running it. A cell
/// that is a number (such as -2.5 or -1e-05) is data, not a formula, and is written unchanged. Every CSV writer in
/// Mantissa passes its cells through here.
/// </summary>
public static class CsvCell
{
    /// <summary>The cell as written: unchanged unless it is text a spreadsheet would evaluate.</summary>
    public static string Neutralise(string cell)
    {
        if (cell.Length == 0 || cell[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r')) return cell;
        if (cell[0] is '-' or '+' && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return cell;
        return "'" + cell;
    }

    /// <summary>A row with every cell neutralised.</summary>
    public static string[] Neutralise(string[] row)
    {
        string[]? copy = null;
        for (int i = 0; i < row.Length; i++)
        {
            var safe = Neutralise(row[i]);
            if (ReferenceEquals(safe, row[i])) continue;
            copy ??= (string[])row.Clone();
            copy[i] = safe;
        }
        return copy ?? row;
    }
}
