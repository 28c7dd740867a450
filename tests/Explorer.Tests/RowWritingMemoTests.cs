using System.Globalization;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>The per-point shortcuts of row writing: a repeated metric's text and a row key's 16 bytes.</summary>
public class RowWritingMemoTests
{
    [Fact]
    public void AMetricColumnsRememberedTextNeverOutlivesItsValue()
    {
        var schema = new ResultSchema([], [], [Metric.LatencyS, Metric.EnergyPj]);
        // repeats, changes, signed zeros (which print differently) and NaN (an empty cell), in one column after another
        double[] values = [1.5, 1.5, 2.25, 0.0, -0.0, 0.0, double.NaN, 1e-300, 1e-300, 3.0, double.NaN];
        foreach (var v in values)
        {
            var row = new ResultRow(0, "w", "k", null, [], [], [v, -v]);
            var cells = schema.ToCells(row);
            Assert.Equal(double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture), cells[schema.MetricStart]);
            Assert.Equal(double.IsNaN(v) ? "" : (-v).ToString("R", CultureInfo.InvariantCulture), cells[schema.MetricStart + 1]);
        }
    }

    [Fact]
    public void KeyIdReadsHexKeysAsUInt128ParseDoes()
    {
        foreach (var key in new[] { "15323b55b12fb4f8c2f1c139", "000000000000000000000000", "ffffffffffffffffffffffff", "ABCDEF0123456789abcdef01" })
            Assert.Equal(UInt128.Parse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture), CsvRecords.KeyId(key));
        // not 24 hex digits: hashed, above every hex key
        foreach (var key in new[] { "15323b55b12fb4f8c2f1c13g", " 5323b55b12fb4f8c2f1c139", "15323b55b12fb4f8c2f1c1" })
            Assert.True(CsvRecords.KeyId(key) > UInt128.Parse("ffffffffffffffffffffffff", NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture), key);
    }
}
