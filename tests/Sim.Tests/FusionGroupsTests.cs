using Mantissa.Sim.Fusion;
using Mantissa.Workloads;

namespace Mantissa.Sim.Tests;

/// <summary>FusionGroups' components (a union-find): operators joined by kept tensors, numbered by their first operator.</summary>
public class FusionGroupsTests
{
    private static SimOperator Op(string name, params TensorUse[] uses) => new(name, OpKind.Elementwise, null) { Uses = uses };
    private static TensorUse W(string t, double bytes = 1) => new(t, bytes, true);
    private static TensorUse R(string t) => new(t, 1, false);

    [Fact]
    public void Components_are_ordered_by_first_operator_with_members_and_tensors_in_order()
    {
        var ops = new[]
        {
            Op("a", W("r0", 2)),                 // 0
            Op("b", W("r1", 3)),                 // 1: joined to a only through c
            Op("c", R("r1"), R("r0")),           // 2
            Op("d", R("x"), W("r3", 5)),         // 3
            Op("e", W("y")),                     // 4: writes nothing kept
            Op("f", R("r3"), R("r7")),           // 5: reads r7 before its producer, joining 3 and 7
            Op("g", W("r6", 7)),                 // 6: kept, read by nobody
            Op("h", W("r7", 11)),                // 7
        };
        var resident = new HashSet<string> { "r0", "r1", "r3", "r6", "r7" };
        var parts = FusionGroups.Parts(ops, resident, new HashSet<string> { "r7" });

        Assert.Equal(new[] { new[] { 0, 1, 2 }, new[] { 3, 5, 7 }, new[] { 6 } }, parts.Select(p => p.Members.ToArray()));
        Assert.Equal(new[] { "a", "b", "c" }, parts[0].Operators);
        Assert.Equal(new[] { "r0", "r1" }, parts[0].Tensors);
        Assert.Equal(new[] { "r3", "r7" }, parts[1].Tensors);
        Assert.Equal(new[] { 5.0, 16, 7 }, parts.Select(p => p.ResidentBytes));
        Assert.Equal(new[] { false, true, false }, parts.Select(p => p.TiledAttention));
    }
}
