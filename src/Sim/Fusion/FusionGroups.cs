using System.Runtime.CompilerServices;
using Mantissa.Sim.Results;

namespace Mantissa.Sim.Fusion;

/// <summary>
/// Groups the operators joined by tensors kept on chip: the connected components (a union-find) of the graph whose edges
/// run from each resident tensor's producer to its consumers. Groups are numbered by their first operator.
/// </summary>
internal static class FusionGroups
{
    // The groups' structure depends only on the operators and the plan's resident and tiled tensors, which the designs of
    // a sweep that share a lowering and a fusion level often share (their live bytes differ with their tiles: each
    // group's peak is taken per plan): kept per operator list (the lowering memo shares one list per workload and PE)
    // and compared in full, so a hit is the structure a fresh build gives.
    private static readonly ConditionalWeakTable<IReadOnlyList<SimOperator>, List<Structure>> Memo = new();
    private const int MaxPlansPerOperators = 16;

    internal sealed record Part(List<int> Members, IReadOnlyList<string> Operators, List<string> Tensors, double ResidentBytes,
        double CompulsoryDramBytes, bool TiledAttention);

    /// <summary>A plan's groups, before the per-design live and DRAM bytes are added.</summary>
    internal sealed record Structure(IReadOnlySet<string> Resident, IReadOnlySet<string> Tiled, int Operators, List<Part> Parts)
    {
        /// <summary>Per operator, its 1-based group (0: none).</summary>
        public int[] GroupOf { get; } = GroupIndex(Operators, Parts);
    }

    private static int[] GroupIndex(int operators, List<Part> parts)
    {
        var of = new int[operators];
        for (int g = 0; g < parts.Count; g++)
            foreach (int i in parts[g].Members) of[i] = g + 1;
        return of;
    }

    /// <summary>The groups of a plan, and per operator its 1-based group (0: in none).</summary>
    public static (List<FusionGroup> Groups, int[] GroupOf) Build(IReadOnlyList<SimOperator> ops, FusionPlan plan,
        IReadOnlyList<LayerResult> unfused, IReadOnlyList<LayerResult> fused)
    {
        // a plan shared by several designs finds its structure once
        var structure = plan.Shape.Groups ??= StructureOf(ops, plan.Resident, plan.Tiled);
        var groups = new List<FusionGroup>(structure.Parts.Count);
        foreach (var part in structure.Parts)
            groups.Add(new FusionGroup(groups.Count + 1, part.Operators, part.Tensors, part.ResidentBytes, Peak(part.Members, plan.Live),
                Sum(part.Members, unfused), Sum(part.Members, fused), part.CompulsoryDramBytes)
            {
                TiledAttention = part.TiledAttention,
            });
        return (groups, structure.GroupOf);
    }

    // The members' DRAM bytes summed in member order (as Enumerable.Sum does).
    private static double Sum(List<int> members, IReadOnlyList<LayerResult> layers)
    {
        double sum = 0;
        foreach (int i in members) sum += layers[i].DramBytes;
        return sum;
    }

    // The most live bytes at any member, as Enumerable.Max finds it (NaNs before the first number skipped, later ones never larger).
    private static double Peak(List<int> members, double[] live)
    {
        double peak = double.NaN;
        foreach (int i in members)
        {
            double x = live[i];
            if (double.IsNaN(peak) || x > peak) peak = x;
        }
        return members.Count > 0 ? peak : throw new InvalidOperationException("a fused group has no operators");
    }

    private static Structure StructureOf(IReadOnlyList<SimOperator> ops, IReadOnlySet<string> resident, IReadOnlySet<string> tiled)
    {
        var plans = Memo.GetValue(ops, _ => new List<Structure>());
        lock (plans)
            foreach (var x in plans)
                if (x.Resident.SetEquals(resident) && x.Tiled.SetEquals(tiled)) return x;
        var structure = new Structure(new HashSet<string>(resident, StringComparer.Ordinal), new HashSet<string>(tiled, StringComparer.Ordinal),
            ops.Count, Parts(ops, resident, tiled));
        lock (plans)
        {
            if (plans.Count >= MaxPlansPerOperators) plans.Clear();
            plans.Add(structure);
        }
        return structure;
    }

    internal static List<Part> Parts(IReadOnlyList<SimOperator> ops, IReadOnlySet<string> resident, IReadOnlySet<string> tiled)
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        var bytes = new Dictionary<string, double>(StringComparer.Ordinal);
        // the operators joined by kept tensors, as a union-find forest over operator indices (-1: not joined to any)
        var parent = new int[ops.Count];
        Array.Fill(parent, -1);
        for (int i = 0; i < ops.Count; i++)
            foreach (var u in ops[i].Uses)
                if (u.Written && resident.Contains(u.Name)) { producer[u.Name] = i; bytes[u.Name] = u.Bytes; if (parent[i] < 0) parent[i] = i; }
        for (int i = 0; i < ops.Count; i++)
            foreach (var u in ops[i].Uses)
                if (!u.Written && producer.TryGetValue(u.Name, out int from))
                {
                    if (parent[i] < 0) parent[i] = i;
                    Union(parent, from, i);
                }
        // Components in the order of their first operator, each with its operators in order: walking the operators in
        // order meets every component at its first one. partOf: per root, its component's 1-based position.
        var partOf = new int[ops.Count];
        var members = new List<List<int>>();
        for (int i = 0; i < ops.Count; i++)
        {
            if (parent[i] < 0) continue;
            // a root is its component's first operator (Union keeps the lower index), so it is met first
            int root = Find(parent, i);
            if (partOf[root] == 0) { members.Add(new List<int>()); partOf[root] = members.Count; }
            members[partOf[root] - 1].Add(i);
        }
        // Each kept tensor belongs to its producer's component, in producer order (ties in first-written order).
        var tensorsOf = producer.GroupBy(kv => partOf[Find(parent, kv.Value)] - 1)
            .ToDictionary(g => g.Key, g => g.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToList());
        var parts = new List<Part>(members.Count);
        for (int c = 0; c < members.Count; c++)
        {
            var m = members[c];
            var tensors = tensorsOf.GetValueOrDefault(c) ?? new List<string>();
            parts.Add(new Part(m, m.Select(i => ops[i].Name).ToList(), tensors, tensors.Sum(t => bytes[t]),
                Compulsory(ops, m, resident), tensors.Any(tiled.Contains)));
        }
        return parts;
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int ra = Find(parent, a), rb = Find(parent, b);
        // the lower index becomes the root, so a root is its component's first operator (Parts relies on it)
        if (ra < rb) parent[rb] = ra;
        else if (rb < ra) parent[ra] = rb;
    }

    // Every tensor the group reads from or leaves for DRAM (inputs, weights, outputs not kept on chip), once.
    private static double Compulsory(IReadOnlyList<SimOperator> ops, List<int> members, IReadOnlySet<string> resident)
    {
        var seen = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (int i in members)
            foreach (var u in ops[i].Uses)
                if (!resident.Contains(u.Name)) seen[u.Name] = Math.Max(seen.GetValueOrDefault(u.Name), u.Bytes);
        return seen.Values.Sum();
    }
}
