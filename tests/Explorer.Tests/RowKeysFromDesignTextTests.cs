using System.Numerics;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>
/// The runner's row keys hashed straight from the design text (<see cref="SimulatorEvaluator.RowKeys"/>) are the keys of
/// <see cref="SweepRunner.Key"/> over <see cref="SimulatorEvaluator.ConfigKey"/>, for valid and invalid designs, in any
/// order of asking; and a grid's points built without copies or BigInteger division are the points it always had.
/// </summary>
public class RowKeysFromDesignTextTests
{
    [Fact]
    public void RowKeysEqualTheKeysOfTheConfigurationText()
    {
        using var dir = new TempSweepDir();
        var spec = SweepParser.Load(DesignKeyTests.SweepOn(dir, "  clock_mhz: [1000]"), Mantissa.Explorer.Sweep.ModelChecks.Validation);
        var workloads = new[] { new WorkloadSpec("gemm-16x64x64", "", 1, null, null, "native"), new WorkloadSpec("gemm-8x8x8", "", 1, null, null, "native") };
        var fast = new SimulatorEvaluator(spec);
        var slow = new SimulatorEvaluator(spec);
        var hasher = new RowKeyHasher();
        var rng = new Random(13);
        string[] clocks = ["1000", "1e3", "250", "2650", "-5", "0.5", "1234.5678"];
        string[] bandwidths = ["51.2", "1.6", "409.6", "0", "3.2e1"];
        string[] rows = ["32", "8", "64", "0", "banana"];
        int invalid = 0;
        for (int i = 0; i < 300; i++)
        {
            var sets = new List<KeyValuePair<string, string>>();
            if (rng.Next(4) > 0) sets.Add(KeyValuePair.Create("clock_mhz", clocks[rng.Next(clocks.Length)]));
            if (rng.Next(4) > 0) sets.Add(KeyValuePair.Create("memory.dram.bandwidth_gbps", bandwidths[rng.Next(bandwidths.Length)]));
            if (rng.Next(3) == 0) sets.Add(KeyValuePair.Create("array.rows", rows[rng.Next(rows.Length)]));
            var point = new DesignPoint(i, [], sets);
            string config = slow.ConfigKey(point);
            if (config.StartsWith("invalid ")) invalid++;
            var keys = new string[workloads.Length];
            // half the time the point was keyed as text first (the evaluator then reuses that text)
            if (rng.Next(2) == 0) Assert.Equal(config, fast.ConfigKey(point));
            ((IDesignEvaluator)fast).RowKeys(point, workloads, hasher, keys);
            for (int w = 0; w < workloads.Length; w++) Assert.Equal(SweepRunner.Key(config, workloads[w]), keys[w]);
            // and the text asked for after the keys is the same
            Assert.Equal(config, fast.ConfigKey(point));
        }
        Assert.InRange(invalid, 30, 270); // both kinds of design were keyed
    }

    [Fact]
    public void GridPointsAreTheGenomesAndSetsOfTheirIndex()
    {
        using var dir = new TempSweepDir();
        var spec = SweepParser.Load(DesignKeyTests.SweepOn(dir, """
              clock_mhz: [500, 1000, 1500]
              array.rows: [8, 16]
              array.cols: [8, 16]
              memory.dram.bandwidth_gbps: [12.8, 25.6, 51.2, 102.4]
            zip: [[array.rows, array.cols]]
            """), Mantissa.Explorer.Sweep.ModelChecks.Validation);
        var space = new DesignSpace(spec);
        var points = PointGenerator.Grid(space);
        Assert.Equal(3 * 2 * 4, points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            // the mixed-radix digits of i, last gene fastest, computed here by BigInteger
            var genome = new int[space.GeneCount];
            BigInteger at = i;
            for (int g = genome.Length - 1; g >= 0; g--) { genome[g] = (int)(at % space.GeneSizes[g]); at /= space.GeneSizes[g]; }
            Assert.Equal(genome, points[i].Genome);
            Assert.Equal(genome, space.GenomeAt(i));
            // the sets in the file's parameter order, a zip group's members taking the same value index
            Assert.Equal(spec.Parameters.Select(p => p.Path), points[i].Sets.Select(s => s.Key));
            Assert.Equal(points[i].Sets[1].Value, points[i].Sets[2].Value);
        }
        Assert.Equal(["1500", "16", "16", "102.4"], points[^1].Sets.Select(s => s.Value));
        Assert.Equal(["500", "8", "8", "25.6"], points[1].Sets.Select(s => s.Value));
    }
}
