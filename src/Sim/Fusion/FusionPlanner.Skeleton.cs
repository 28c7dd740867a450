using System.Runtime.CompilerServices;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;

namespace Mantissa.Sim.Fusion;

internal static partial class FusionPlanner
{
    /// <summary>
    /// The part of a plan that depends only on the operators, the candidates and which levels first hold each GEMM operand:
    /// the whole keep decisions (attention blocks, then single activations, each with the uses whose DRAM bytes it saves),
    /// and per operator the input and weight uses a whole-kept item may hold. A design's plan adds the savings and tiles
    /// its mappings give. Found once per operator list and hierarchy (the lowering memo shares one list per workload and
    /// PE across a sweep's designs).
    /// </summary>
    private sealed class Skeleton
    {
        /// <summary>One use of a kept tensor: the operator, the GEMM operand whose mapped DRAM bytes it saves (null: <see cref="Bytes"/>).</summary>
        public readonly record struct Use(int Op, Tensor? Operand, double Bytes);

        /// <summary>
        /// A whole keep decision: its tensors, live segments and exclusive group (0: none); per tensor, the uses it saves;
        /// for an attention block, the chain (it may also be tiled) and its score tensors' bytes.
        /// </summary>
        public sealed record Entry(string[] Tensors, (double Bytes, int From, int To)[] Segments, int From, int To, int Group,
            Use[][] Parts, AttentionChain? Chain, double[] PartBytes);

        public required Entry[] Entries { get; init; }
        public required (Tensor Operand, int[] Holders)[][] Held { get; init; }
        /// <summary>Per operator, the whole entries that may hold the output a GEMM writes (empty for the others).</summary>
        public required int[][] HeldOutput { get; init; }

        /// <summary>The classes of the operators (<see cref="OperatorClasses"/>).</summary>
        public required OperatorClasses Classes { get; init; }

        /// <summary>Per GEMM class, whether an entry saves the DRAM bytes of one of its operands.</summary>
        public required bool[] SavesFrom { get; init; }

        /// <summary>The plans found with this skeleton.</summary>
        public PlanMemo Plans { get; } = new();

        /// <summary>The kept tensors (and what the operators take from the level) of each set of decisions chosen with this skeleton.</summary>
        public ShapeMemo Shapes { get; } = new();

        private sealed record Key(IReadOnlyList<FusibleTensor> Candidates, IReadOnlyList<AttentionChain>? Chains, int Level, int? Left, int? Right, int? Output)
        {
            public bool Matches(Key o) => ReferenceEquals(Candidates, o.Candidates) && ReferenceEquals(Chains, o.Chains) &&
                                          Level == o.Level && Left == o.Left && Right == o.Right && Output == o.Output;
        }

        private static readonly ConditionalWeakTable<IReadOnlyList<SimOperator>, List<(Key, Skeleton)>> Memo = new();
        private const int MaxPerOperators = 16;

        public static Skeleton For(ArchView view, int level, IReadOnlyList<SimOperator> ops, IReadOnlyList<FusibleTensor> candidates,
            IReadOnlyList<AttentionChain>? chains)
        {
            var key = new Key(candidates, chains, level, view.FirstHolder(Tensor.Left), view.FirstHolder(Tensor.Right), view.FirstHolder(Tensor.Output));
            var known = Memo.GetValue(ops, _ => new List<(Key, Skeleton)>());
            lock (known)
                foreach (var (k, s) in known)
                    if (k.Matches(key)) return s;
            var built = Build(view, level, ops, candidates, chains);
            lock (known)
            {
                if (known.Count >= MaxPerOperators) known.Clear();
                known.Add((key, built));
            }
            return built;
        }

        private static Skeleton Build(ArchView view, int level, IReadOnlyList<SimOperator> ops, IReadOnlyList<FusibleTensor> candidates,
            IReadOnlyList<AttentionChain>? chains)
        {
            var byName = new Dictionary<string, FusibleTensor>(candidates.Count, StringComparer.Ordinal);
            foreach (var c in candidates) byName[c.Name] = c;
            var entries = new List<Entry>();
            var inChain = new HashSet<string>(StringComparer.Ordinal);
            int group = 0;
            foreach (var c in chains ?? Array.Empty<AttentionChain>())
            {
                if (!c.Tensors.All(byName.ContainsKey)) continue;
                inChain.UnionWith(c.Tensors);
                var parts = c.Tensors.Select(n => byName[n]).ToList();
                if (parts.Any(x => !OnChipEverywhere(view, level, ops, x))) continue;
                group++;
                entries.Add(Whole(c.Tensors.ToArray(), parts, ops, group, c));
            }
            foreach (var t in candidates)
                if (!inChain.Contains(t.Name) && OnChipEverywhere(view, level, ops, t))
                    entries.Add(Whole(new[] { t.Name }, new List<FusibleTensor> { t }, ops, 0, null));

            var holders = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (int e = 0; e < entries.Count; e++)
                foreach (var t in entries[e].Tensors)
                {
                    if (!holders.TryGetValue(t, out var list)) holders[t] = list = new List<int>();
                    list.Add(e);
                }
            var held = new (Tensor, int[])[ops.Count][];
            var heldOutput = new int[ops.Count][];
            for (int i = 0; i < ops.Count; i++)
            {
                var here = new List<(Tensor, int[])>();
                heldOutput[i] = Array.Empty<int>();
                foreach (var u in ops[i].Uses)
                    if (u.Operand is { } x && holders.TryGetValue(u.Name, out var h))
                        if (x != Tensor.Output) here.Add((x, h.ToArray()));
                        else if (ops[i].Gemm is not null) heldOutput[i] = h.ToArray();
                held[i] = here.ToArray();
            }
            var classes = OperatorClasses.Of(ops);
            var savesFrom = new bool[classes.Gemms.Length];
            foreach (var entry in entries)
                foreach (var part in entry.Parts)
                    foreach (var u in part)
                        if (u.Operand is not null) savesFrom[classes.GemmIndex[u.Op]] = true;
            return new Skeleton { Entries = entries.ToArray(), Held = held, HeldOutput = heldOutput, Classes = classes, SavesFrom = savesFrom };
        }

        private static Entry Whole(string[] names, List<FusibleTensor> parts, IReadOnlyList<SimOperator> ops, int group, AttentionChain? chain)
        {
            var segments = parts.Select(x => (x.Bytes, x.Producer, x.LastConsumer)).ToArray();
            return new Entry(names, segments, segments.Min(s => s.Producer), segments.Max(s => s.LastConsumer), group,
                parts.Select(x => UsesOf(ops, x)).ToArray(), chain, parts.Select(x => x.Bytes).ToArray());
        }

        // The uses of a tensor from its producer to its last consumer, in operator and use order: a GEMM operand saves
        // its mapped DRAM traffic, anything else its bytes.
        private static Use[] UsesOf(IReadOnlyList<SimOperator> ops, FusibleTensor t)
        {
            var uses = new List<Use>();
            for (int i = t.Producer; i <= t.LastConsumer; i++)
                foreach (var u in ops[i].Uses)
                    if (u.Name == t.Name) uses.Add(new Use(i, u.Operand is { } x && ops[i].Gemm is not null ? x : null, u.Bytes));
            return uses.ToArray();
        }
    }
}
