using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Mapping;

/// <summary>Precomputed facts about an architecture's memory levels that the mapper's inner loop needs.</summary>
internal sealed class ArchView
{
    /// <param name="bypass">Per memory level, the held tensors a mapping bypasses there (null: none); see <see cref="GemmMapping.Bypass"/>.</param>
    public ArchView(ArchitectureSpec arch, IReadOnlyList<TensorSet>? bypass = null)
    {
        Arch = arch;
        Bypass = bypass;
        var shared = new List<int>();
        for (int i = 0; i < arch.Memory.Count; i++)
            if (!arch.Memory[i].PerPe) shared.Add(i);
        if (shared.Count == 0 || arch.Memory[shared[0]].Kind != MemoryKind.Dram)
            throw new MantissaException($"architecture '{arch.Name}': the outermost memory level must be DRAM (memory[0].kind: dram)");
        if (shared[0] != MemoryLevels.Dram)
            throw new MantissaException($"architecture '{arch.Name}': memory level '{arch.Memory[0].Name}' is per-PE but must be the DRAM level");
        // Tiles nest: a level's tile lies inside the tile of the level above it. Sibling buffers listed in any order
        // (a weight FIFO next to a larger activation buffer) are nested largest first, so no big buffer is confined to
        // the tile of a small one.
        // Loops and arrays, not LINQ over ints and tuples: those instantiations are JIT-compiled at every start-up.
        Shared = NestedLargestFirst(arch, shared);
        HasPerPeLevels = false;
        _holds = new TensorSet[arch.Memory.Count];
        for (int l = 0; l < _holds.Length; l++)
        {
            HasPerPeLevels |= arch.Memory[l].PerPe;
            _holds[l] = l == MemoryLevels.Dram ? TensorSet.All : arch.Memory[l].Holds & ~(bypass?[l] ?? TensorSet.None);
        }
        // A tensor the first on-chip level does not hold streams from DRAM into the first level that does hold it
        // (shared levels first, then per-PE ones); that level's double buffering decides whether the stream
        // overlaps compute.
        _streamed = new bool[3];
        foreach (var t in PerTensor.All)
        {
            if (Shared.Length < 2 || LevelHolds(Shared[1], t)) continue;
            int into = -1;
            for (int i = 2; i < Shared.Length && into < 0; i++)
                if (LevelHolds(Shared[i], t)) into = Shared[i];
            for (int l = 0; l < arch.Memory.Count && into < 0; l++)
                if (arch.Memory[l].PerPe && LevelHolds(l, t)) into = l;
            _streamed[(int)t] = into >= 0 && arch.Memory[into].DoubleBuffered;
        }
    }

    // DRAM first, then the other shared levels by decreasing capacity (0: unbounded, first), ties in listed order.
    private static int[] NestedLargestFirst(ArchitectureSpec arch, List<int> shared)
    {
        var order = shared.ToArray();
        long Capacity(int l) => arch.Memory[l].CapacityBytes == 0 ? long.MaxValue : arch.Memory[l].CapacityBytes;
        // insertion sort from index 1: stable, so equal capacities keep their listed order
        for (int i = 2; i < order.Length; i++)
        {
            int l = order[i], j = i;
            for (; j > 1 && Capacity(order[j - 1]) < Capacity(l); j--) order[j] = order[j - 1];
            order[j] = l;
        }
        return order;
    }

    /// <summary>
    /// The on-chip level layer fusion keeps activations in: the largest shared level holding both inputs and outputs
    /// (a producer writes its output there and a consumer reads it as input), or null when no level holds both.
    /// </summary>
    public int? FusionLevel
    {
        get
        {
            const TensorSet io = TensorSet.Inputs | TensorSet.Outputs;
            for (int i = 1; i < Shared.Length; i++)
                if ((_holds[Shared[i]] & io) == io) return Shared[i];
            return null;
        }
    }

    /// <summary>The first shared on-chip level (in nesting order) that holds <paramref name="t"/>, or null when it streams straight into the array.</summary>
    public int? FirstHolder(Tensor t)
    {
        for (int i = 1; i < Shared.Length; i++)
            if (LevelHolds(Shared[i], t)) return Shared[i];
        return null;
    }

    private readonly bool[] _streamed;
    private readonly TensorSet[] _holds;

    /// <summary>The tensor bypasses the first on-chip level and lands in a double-buffered level, so its DRAM stream overlaps compute.</summary>
    public bool Streamed(Tensor t) => _streamed[(int)t];

    public ArchitectureSpec Arch { get; }

    /// <summary>Some memory level sits inside the PEs (a register file).</summary>
    public bool HasPerPeLevels { get; }

    /// <summary>The tensor the array holds in its PEs across folds: weights for ws, outputs for os, inputs for is.</summary>
    public static Tensor Stationary(Dataflow dataflow) => dataflow switch { Dataflow.WS => Tensor.Right, Dataflow.OS => Tensor.Output, _ => Tensor.Left };
    /// <summary>Indices into <c>Arch.Memory</c> of the shared levels in nesting order: DRAM, then on-chip levels by decreasing capacity.</summary>
    public int[] Shared { get; }
    public int Levels => Arch.Memory.Count;

    /// <summary>The tensors bypassed per memory level in this view (null: none).</summary>
    public IReadOnlyList<TensorSet>? Bypass { get; }

    /// <summary>What level <paramref name="level"/> holds in this view: its <c>holds</c> less the bypassed tensors (DRAM: all).</summary>
    public TensorSet Holds(int level) => _holds[level];

    /// <summary>
    /// Every choice of bypass the levels' <c>may_bypass</c> allow, as one bypass list per choice (per memory level the
    /// bypassed tensors): the first is no bypass (null), so an architecture without <c>may_bypass</c> has that one only.
    /// </summary>
    public static IReadOnlyList<TensorSet>?[] BypassChoices(ArchitectureSpec arch)
    {
        bool any = false;
        for (int l = 0; l < arch.Memory.Count; l++) any |= arch.Memory[l].MayBypass != TensorSet.None;
        if (!any) return [null];
        var choices = new List<TensorSet[]?> { null };
        for (int l = 0; l < arch.Memory.Count; l++)
        {
            var may = arch.Memory[l].MayBypass;
            if (may == TensorSet.None) continue;
            var grown = new List<TensorSet[]?>();
            foreach (var c in choices)
                for (int sub = 0; sub <= (int)may; sub++)
                {
                    if ((sub & ~(int)may) != 0) continue;
                    if (sub == 0) { grown.Add(c); continue; }
                    var next = c is null ? new TensorSet[arch.Memory.Count] : (TensorSet[])c.Clone();
                    next[l] = (TensorSet)sub;
                    grown.Add(next);
                }
            choices = grown;
        }
        return choices.ToArray();
    }

    /// <summary>DRAM holds every tensor; other levels what their <c>holds</c> lists, less what this view bypasses.</summary>
    public bool LevelHolds(int level, Tensor t) => (_holds[level] & SetOf(t)) != 0;

    public static TensorSet SetOf(Tensor x) => x switch
    {
        Tensor.Left => TensorSet.Inputs,
        Tensor.Right => TensorSet.Weights,
        _ => TensorSet.Outputs,
    };
}
