using Mantissa.Arch.Model;
using Mantissa.Sim.Results;

namespace Mantissa.Sim.Tests;

/// <summary>The metric table: one entry per <see cref="Metric"/>, unique spellings, formulas that agree with the result's own totals.</summary>
public class MetricCatalogTests
{
    [Fact]
    public void EveryMetricHasOneEntryInEnumOrderAndSpellingsAreUnique()
    {
        var ids = Enum.GetValues<Metric>();
        Assert.Equal(ids, MetricCatalog.All.Select(m => m.Id));
        var spellings = MetricCatalog.All.SelectMany(m => m.Aliases.Prepend(m.Name)).Select(s => s.ToLowerInvariant()).ToList();
        Assert.Equal(spellings.Count, spellings.Distinct().Count());
        Assert.Equal(Metric.QuantSqnrDb, MetricCatalog.Find(" SQNR_db ")!.Id);
        Assert.Null(MetricCatalog.Find("latency_ms"));
    }

    [Fact]
    public void EveryMetricHasCompleteInfo()
    {
        // name, display name, unit, description and formula all live in the catalog entry (nothing keyed by Metric elsewhere)
        foreach (var id in Enum.GetValues<Metric>())
        {
            var m = MetricCatalog.Info(id);
            Assert.Equal(id, m.Id);
            Assert.Matches("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", m.Name);
            Assert.False(string.IsNullOrWhiteSpace(m.Display), $"{m.Name}: no display name");
            Assert.DoesNotContain('_', m.Display);
            Assert.Equal(m.Display.Trim(), m.Display);
            Assert.NotNull(m.Unit);
            Assert.False(string.IsNullOrWhiteSpace(m.Description), $"{m.Name}: no description");
            Assert.NotNull(m.Compute);
        }
        Assert.Equal("energy", MetricCatalog.Info(Metric.EnergyPj).Display);
        Assert.Equal("time to first token", MetricCatalog.Find("ttft")!.Display);
    }

    [Fact]
    public void ValuesFollowTheirFormulasAndUnreportedOnesAreNaN()
    {
        var r = TestArchs.Sim(TestArchs.Systolic(16, 16, Dataflow.WS, dramBw: 16, glbBytes: 256 << 10)).RunGemm(64, 256, 512);
        var m = r.Metrics();
        double joules = r.EnergyPj * 1e-12, tops = 2.0 * r.Macs / r.LatencySeconds / 1e12;
        Assert.Equal(joules * r.LatencySeconds, m[Metric.Edp], 12);
        Assert.Equal(joules / r.LatencySeconds, m[Metric.PowerW], 9);
        Assert.Equal(tops / (joules / r.LatencySeconds), m[Metric.TopsPerW], 9);
        Assert.Equal(tops / r.Cost.AreaMm2, m[Metric.TopsPerMm2], 9);
        Assert.Equal(Math.Max(0, SimResult.WholeCycles(r.Cycles) - SimResult.WholeCycles(r.ComputeCycles)), m[Metric.StallCycles], 6);
        // a bare GEMM produces neither tokens nor frames; FPGA fit and quantization error need their own inputs
        foreach (var absent in new[] { Metric.TokensPerS, Metric.TokensPerJ, Metric.FramesPerS, Metric.FpgaFits, Metric.QuantSqnrDb, Metric.QuantMse })
            Assert.False(m.Has(absent), absent.Name());
        var q = MetricCatalog.Evaluate(new MetricInputs(r, Quant: new Mantissa.Workloads.Quantization.QuantError(0.25, 31.5, 1)));
        Assert.Equal((31.5, 0.25), (q[Metric.QuantSqnrDb], q[Metric.QuantMse]));
    }
}
