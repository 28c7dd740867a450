using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>
/// A thread reuses the text of the sections its last keyed design shares with the next one (DesignKey's last-design
/// memo); the keys must be those of designs keyed with nothing to reuse.
/// </summary>
public class DesignKeyReuseTests
{
    private static string Key(SimulatorEvaluator e, params (string Path, string Value)[] sets) =>
        e.ConfigKey(new DesignPoint(0, [], sets.Select(s => KeyValuePair.Create(s.Path, s.Value)).ToList()));

    private static SimulatorEvaluator Evaluator(TempSweepDir dir) =>
        new(SweepParser.Load(DesignKeyTests.SweepOn(dir, "  clock_mhz: [1000]"), ModelChecks.Validation));

    [Fact]
    public void KeysOfNeighbouringDesignsAreThoseOfDesignsKeyedAlone()
    {
        using var dir = new TempSweepDir();
        const string intMac = "{kind: int_mac, weights: int8, activations: int8}";
        const string mx = "{kind: mx_dot, weights: mxfp4, activations: mxfp4, accumulator: fp32, dot_width: 8}";
        var points = new (string, string)[][]
        {
            [("clock_mhz", "800"), ("memory.dram.bandwidth_gbps", "25.6")],
            [("clock_mhz", "800"), ("memory.dram.bandwidth_gbps", "12.8")], // same header, another DRAM level
            [("clock_mhz", "800"), ("memory.dram.bandwidth_gbps", "51.2")], // DRAM level back to the base's
            [("clock_mhz", "1000"), ("memory.dram.bandwidth_gbps", "12.8")], // header back to the base's, DRAM as two points ago
            [("clock_mhz", "900"), ("memory.dram.bandwidth_gbps", "12.8")],
            [("pe", intMac), ("array.rows", "8")],
            [("pe", intMac), ("array.rows", "16")], // same PE, another array
            [("pe", mx), ("array.rows", "16")], // same array, another PE
            [("pe", intMac), ("array.rows", "16"), ("memory.global_buffer.banks", "4")],
            [("pe", intMac), ("array.rows", "16"), ("memory.global_buffer.banks", "2")],
            [("pe", intMac), ("array.rows", "16"), ("memory.global_buffer.banks", "8")], // the design of point 6 (8 banks: the base's)
            [("memory.global_buffer", "~")], // one memory level fewer
            [("memory.global_buffer.banks", "2")],
        };
        var neighbours = Evaluator(dir);
        var keys = points.Select(p => Key(neighbours, p)).ToList();
        // alone: two evaluators taking turns, so neither finds its own last design on the thread
        var a = Evaluator(dir);
        var b = Evaluator(dir);
        for (int i = 0; i < points.Length; i++)
            Assert.Equal(Key(i % 2 == 0 ? a : b, points[i]), keys[i]);
        Assert.Equal(keys[6], keys[10]);
        Assert.Equal(points.Length - 1, keys.Distinct().Count()); // every other design differs
        Assert.Equal(keys[1], Key(neighbours, points[1])); // and again, after other designs
        Assert.Equal(keys[7], Key(neighbours, points[7]));
    }
}
