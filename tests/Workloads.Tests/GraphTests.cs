using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Tests;

public class GraphTests
{
    private static readonly NumberFormat Fp16 = NumberFormat.Parse("fp16");

    private static TensorSpec T(string name, params long[] shape) => new(name, shape, TensorRole.Activation, Fp16);

    private static Operator Op(string name, string[] ins, string outName) =>
        new(name, OpKind.Elementwise, ins.Select(i => T(i, 4)).ToArray(), new[] { T(outName, 4) });

    [Fact]
    public void Topological_order_follows_tensor_edges_even_when_listed_backwards()
    {
        var g = new WorkloadGraph(new[] { Op("c", new[] { "b.out" }, "c.out"), Op("b", new[] { "a.out" }, "b.out"), Op("a", new[] { "x" }, "a.out") },
                                  new[] { T("x", 4) });
        Assert.Equal(new[] { "a", "b", "c" }, g.Operators.Select(o => o.Name));
        Assert.Equal(new[] { "b" }, g.Successors("a").Select(o => o.Name));
        Assert.Equal(2, g.Edges.Count);
    }

    [Fact]
    public void A_cycle_is_reported_with_its_path()
    {
        var e = Assert.Throws<MantissaException>(() => new WorkloadGraph(
            new[] { Op("a", new[] { "x", "c.out" }, "a.out"), Op("b", new[] { "a.out" }, "b.out"), Op("c", new[] { "b.out" }, "c.out") },
            new[] { T("x", 4) }));
        Assert.Contains("cycle", e.Message);
        Assert.Contains("a -> b -> c -> a", e.Message);
    }

    [Fact]
    public void A_dangling_input_is_an_error()
    {
        var e = Assert.Throws<MantissaException>(() => new WorkloadGraph(new[] { Op("a", new[] { "nowhere" }, "a.out") }, Array.Empty<TensorSpec>()));
        Assert.Contains("dangling edge", e.Message);
        Assert.Contains("'nowhere'", e.Message);
    }

    [Fact]
    public void Two_operators_with_one_name_are_an_error()
    {
        var e = Assert.Throws<MantissaException>(() => new WorkloadGraph(
            new[] { Op("a", new[] { "x" }, "y"), Op("a", new[] { "y" }, "z") }, new[] { T("x", 4) }));
        Assert.Contains("already has an operator named 'a'", e.Message);
    }

    [Fact]
    public void Builder_order_is_kept_where_valid_and_a_late_producer_moves_before_its_first_consumer()
    {
        // d is listed last but feeds b: it moves to just before b; the others keep their order.
        var g = new WorkloadGraph(new[]
        {
            Op("a", new[] { "x" }, "a.out"), Op("c", new[] { "a.out" }, "c.out"),
            Op("b", new[] { "a.out", "d.out" }, "b.out"), Op("e", new[] { "c.out", "b.out" }, "e.out"), Op("d", new[] { "x" }, "d.out"),
        }, new[] { T("x", 4) });
        Assert.Equal(new[] { "a", "c", "d", "b", "e" }, g.Operators.Select(o => o.Name));
        Assert.Equal(new[] { "a", "d" }, g.Predecessors("b").Select(o => o.Name));
        Assert.Equal(new[] { "c", "b" }, g.ConsumersOf("a.out").Select(o => o.Name));
        Assert.Empty(g.ConsumersOf("e.out"));
        Assert.Empty(g.ConsumersOf("x"));
        Assert.Equal("a", g.ProducerOf("a.out"));
    }

    [Fact]
    public void A_self_loop_is_a_cycle()
    {
        var e = Assert.Throws<MantissaException>(() => new WorkloadGraph(new[] { Op("a", new[] { "x", "a.out" }, "a.out") }, new[] { T("x", 4) }));
        Assert.Contains("cycle: a -> a", e.Message);
    }

    [Fact]
    public void A_tensor_written_twice_is_an_error()
    {
        var e = Assert.Throws<MantissaException>(() => new WorkloadGraph(
            new[] { Op("a", new[] { "x" }, "y"), Op("b", new[] { "x" }, "y") }, new[] { T("x", 4) }));
        Assert.Contains("written by both 'a' and 'b'", e.Message);
    }

    [Fact]
    public void Node_stats_count_fan_in_and_traffic()
    {
        var g = new WorkloadGraph(new[] { Op("a", new[] { "x" }, "a.out"), Op("b", new[] { "a.out", "x" }, "b.out") }, new[] { T("x", 4) });
        var s = g.Stats().Single(n => n.Op.Name == "b");
        Assert.Equal(1, s.FanIn);
        Assert.Equal(16.0, s.BytesRead);   // two fp16 tensors of 4 elements
        Assert.Equal(8.0, s.BytesWritten);
    }

    [Fact]
    public void Dot_export_lists_every_operator_and_edge()
    {
        var w = WorkloadCatalog.Build("resnet18", new WorkloadOptions());
        string dot = DotExport.ToDot(w.Graph, "resnet18");
        Assert.StartsWith("digraph \"resnet18\" {", dot);
        Assert.Contains("\"layer1.0.conv1\" -> \"layer1.0.bn1\" [label=\"layer1.0.conv1.out\"];", dot);
        Assert.Equal(w.Graph.Edges.Count, dot.Split('\n').Count(l => l.Contains(" -> \"") && l.Contains("label=") && !l.Contains("in:")));
    }

    [Fact]
    public void Group_scales_count_per_row_along_the_reduction_axis()
    {
        // [out=3, in=300] at group 128: ceil(300/128) = 3 groups per row, 9 groups, 16-bit scales.
        var w = new TensorSpec("w", new long[] { 3, 300 }, TensorRole.Weight, NumberFormat.Parse("int4"), 128);
        Assert.Equal(9, w.Groups);
        Assert.Equal((900 * 4 + 9 * 16) / 8.0, w.Bytes);
        var asym = w with { ZeroPointBits = 4 };
        Assert.Equal((900 * 4 + 9 * 20) / 8.0, asym.Bytes);
        // Block formats amortise their own scale: mxfp4 is 4 + 8/32 bits per element.
        var mx = new TensorSpec("m", new long[] { 64 }, TensorRole.Weight, NumberFormat.Parse("mxfp4"));
        Assert.Equal(64 * 4.25 / 8, mx.Bytes);
    }
}
