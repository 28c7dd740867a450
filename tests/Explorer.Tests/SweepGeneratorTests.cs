using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

public class SweepGeneratorTests
{
    private static SweepSpec Spec(string extra = "")
    {
        using var dir = new TempSweepDir();
        return SweepParser.Load(dir.Sweep(TempSweepDir.Basic + "\n" + extra));
    }

    [Fact]
    public void GridListsEveryCombinationFirstParameterSlowest()
    {
        var space = new DesignSpace(Spec());
        var points = PointGenerator.Grid(space);
        Assert.Equal(3 * 4 * 4, points.Count);
        Assert.Equal(Enumerable.Range(0, 48), points.Select(p => p.Index));
        Assert.Equal(48, points.Select(p => string.Join(",", p.Sets.Select(s => s.Value))).Distinct().Count());
        Assert.Equal(new[] { "int_mac", "16", "16" }, points[0].Sets.Select(s => s.Value));
        Assert.Equal(new[] { "int_mac", "16", "32" }, points[1].Sets.Select(s => s.Value));
        Assert.Equal(new[] { "lut", "16", "16" }, points[16].Sets.Select(s => s.Value));
        Assert.Equal(new[] { "bit_serial", "128", "128" }, points[47].Sets.Select(s => s.Value));
    }

    [Fact]
    public void ZipGroupsMoveTogether()
    {
        var points = PointGenerator.Grid(new DesignSpace(Spec("zip: [[array.rows, array.cols]]")));
        Assert.Equal(3 * 4, points.Count);
        Assert.All(points, p => Assert.Equal(p.ValueOf("array.rows"), p.ValueOf("array.cols")));
    }

    [Fact]
    public void RandomIsSeededDistinctAndInsideTheSpace()
    {
        var space = new DesignSpace(Spec());
        var a = PointGenerator.Random(space, 20, 7);
        var b = PointGenerator.Random(space, 20, 7);
        var c = PointGenerator.Random(space, 20, 8);
        string Key(IReadOnlyList<DesignPoint> ps) => string.Join(";", ps.Select(p => DesignSpace.GenomeKey(p.Genome)));
        Assert.Equal(Key(a), Key(b));
        Assert.NotEqual(Key(a), Key(c));
        Assert.Equal(20, a.Select(p => DesignSpace.GenomeKey(p.Genome)).Distinct().Count());
        var grid = PointGenerator.Grid(space).Select(p => DesignSpace.GenomeKey(p.Genome)).ToHashSet();
        Assert.All(a, p => Assert.Contains(DesignSpace.GenomeKey(p.Genome), grid));
        Assert.Equal(48, PointGenerator.Random(space, 500, 1).Count); // more samples than designs: the whole grid
    }

    [Fact]
    public void Nsga2IsSeededAndApproachesTheTrueFront()
    {
        var spec = Spec("strategy: {nsga2: {population: 8, generations: 6, seed: 3}}") with { Constraints = Array.Empty<Constraint>() };
        var space = new DesignSpace(spec);
        var evaluator = new FakeEvaluator();
        var workload = spec.Workloads[0];
        Fitness Fit(DesignPoint p)
        {
            var e = evaluator.Evaluate(p, new[] { workload })[0];
            return e.InvalidReason is not null ? new Fitness(new double[3], 1)
                : new Fitness(spec.Objectives.Select(o => e.Metrics[MetricCatalog.Find(o.Metric)!.Id]).ToArray(), 0);
        }
        List<string> Visit(int seed)
        {
            var search = new Nsga2Search(space, new Nsga2Strategy(8, 6, seed));
            search.Run(batch => batch.Select(Fit).ToList());
            return search.Visited.Select(p => DesignSpace.GenomeKey(p.Genome)).ToList();
        }
        var first = Visit(3);
        Assert.Equal(first, Visit(3));
        Assert.NotEqual(first, Visit(4));
        Assert.Equal(first.Count, first.Distinct().Count());
        Assert.True(first.Count > 8, "offspring were evaluated");

        // the final population is non-dominated among everything the search saw and mostly on the true front
        var search = new Nsga2Search(space, new Nsga2Strategy(8, 6, 3));
        var final = search.Run(batch => batch.Select(Fit).ToList());
        var all = PointGenerator.Grid(space).Select(p => (p, f: Fit(p))).Where(x => x.f.Violations == 0).ToList();
        var trueFront = Pareto.ParetoSort.Front(all.Select(x => x.f.Objectives).ToList()).Select(i => DesignSpace.GenomeKey(all[i].p.Genome)).ToHashSet();
        int onFront = final.Count(p => trueFront.Contains(DesignSpace.GenomeKey(p.Genome)));
        Assert.True(onFront >= 4, $"only {onFront} of 8 final designs are on the true front");
    }
}
