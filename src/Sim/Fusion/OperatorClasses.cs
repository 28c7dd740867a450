using System.Runtime.CompilerServices;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Fusion;

/// <summary>
/// The operators of one list that a simulator prices alike: per operator, the first operator (in list order) whose
/// pricing inputs equal its own — a GEMM's problem, an element-wise operator's elements and bytes in and out, compared as
/// the simulator's memo tables compare them — so equal operators share the first one's result object, as the memo
/// would return it. A Llama-2-7B decode step has 643 operators in about 20 classes: a run prices the classes and copies,
/// and the fusion planner keys its plans on the classes' mappings. Found once per operator list (the lowering memo
/// shares one list per workload and PE across a sweep's designs) and kept while the list lives; immutable.
/// </summary>
internal sealed class OperatorClasses
{
    private static readonly ConditionalWeakTable<IReadOnlyList<SimOperator>, OperatorClasses> Memo = new();

    private OperatorClasses(IReadOnlyList<SimOperator> ops)
    {
        First = new int[ops.Count];
        IsGemm = new bool[ops.Count];
        GemmIndex = new int[ops.Count];
        ClassIndex = new int[ops.Count];
        int classes = 0;
        var gemms = new Dictionary<GemmProblem, int>();
        var vectors = new Dictionary<(long, double, double), int>();
        var representatives = new List<int>();
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            int first = op.Gemm is { } g ? gemms.TryAdd(g, i) ? i : gemms[g]
                : vectors.TryAdd((op.Elements, op.BytesIn, op.BytesOut), i) ? i : vectors[(op.Elements, op.BytesIn, op.BytesOut)];
            First[i] = first;
            ClassIndex[i] = first == i ? classes++ : ClassIndex[first];
            IsGemm[i] = op.Gemm is not null;
            if (first == i && op.Gemm is not null) representatives.Add(i);
            GemmIndex[i] = op.Gemm is null ? -1 : first == i ? representatives.Count - 1 : GemmIndex[first];
            if (op.Gemm is not { } p) continue;
            if (op.FormatNote is not null) FormatFallbacks++;
            // summed in operator order, as WorkloadLowering.CheckFormats sums them
            GemmMacs += p.Macs;
            if (op.Fit != FormatFitKind.Unsupported) continue;
            UnsupportedMacs += p.Macs;
            FirstUnsupported ??= op;
        }
        Gemms = representatives.ToArray();
        VectorClasses = vectors.Count;
        ClassCount = classes;
    }

    /// <summary>The classes of <paramref name="ops"/> (which must not change afterwards), found on first use.</summary>
    public static OperatorClasses Of(IReadOnlyList<SimOperator> ops) => Memo.GetValue(ops, o => new OperatorClasses(o));

    /// <summary>Per operator, the first operator of its class (itself when it is the first).</summary>
    public int[] First { get; }

    /// <summary>Per operator, whether it is a GEMM.</summary>
    public bool[] IsGemm { get; }

    /// <summary>The first operator of each GEMM class, in list order.</summary>
    public int[] Gemms { get; }

    /// <summary>Per operator, the position of its class (0 .. <see cref="ClassCount"/> - 1), numbered in order of their first operators.</summary>
    public int[] ClassIndex { get; }

    /// <summary>Classes of the operators.</summary>
    public int ClassCount { get; }

    /// <summary>Classes of the operators that are not GEMMs.</summary>
    public int VectorClasses { get; }

    /// <summary>Per operator, the position of its class in <see cref="Gemms"/> (-1: not a GEMM).</summary>
    public int[] GemmIndex { get; }

    /// <summary>GEMM operators with a format note (run at the PE's own formats).</summary>
    public int FormatFallbacks { get; }

    /// <summary>The MACs of every GEMM operator, and of those whose formats the PE cannot run (<see cref="FormatFitKind.Unsupported"/>), summed in operator order.</summary>
    public double GemmMacs { get; }

    /// <inheritdoc cref="GemmMacs"/>
    public double UnsupportedMacs { get; }

    /// <summary>The first GEMM operator whose formats the PE cannot run (null: none).</summary>
    public SimOperator? FirstUnsupported { get; }

    /// <summary>
    /// Per operator, the slot of its priced result under <paramref name="plan"/> (<see cref="FusedSlots"/>): an operator the
    /// plan does not touch shares its class's unfused result (slot <see cref="ClassIndex"/>); one it touches shares the
    /// result of the first touched operator pricing alike, one of the same class with the same held operands, reserved
    /// bytes and tiling (a GEMM) or the same bytes kept in and out (another), numbered from <see cref="ClassCount"/> on in
    /// operator order. Found once per plan (plans are shared).
    /// </summary>
    public FusedSlots Slots(FusionPlan plan) => plan.Slots ??= SlotsOf(plan);

    private FusedSlots SlotsOf(FusionPlan plan)
    {
        var of = new int[First.Length];
        var seen = new Dictionary<(int Class, TensorSet Operands, double Live, bool Tiled, double ChipIn, double ChipOut), int>();
        int next = ClassCount, gemms = 0, vectors = 0;
        for (int i = 0; i < of.Length; i++)
        {
            if (!plan.Touches[i]) { of[i] = ClassIndex[i]; continue; }
            // the simulator's memo keys: a GEMM's problem with its held operands and the bytes reserved beside them
            // (compared as doubles compare), an element-wise operator's with its bytes kept in and out
            bool gemm = IsGemm[i];
            var key = gemm ? (First[i], plan.Operands[i], plan.Live[i], plan.TouchesTiled[i], 0.0, 0.0)
                : (First[i], TensorSet.None, 0.0, false, plan.ChipIn[i], plan.ChipOut[i]);
            if (seen.TryGetValue(key, out int slot)) { of[i] = slot; continue; }
            seen.Add(key, next);
            of[i] = next++;
            if (gemm) gemms++; else vectors++;
        }
        return new FusedSlots(of, next, gemms, vectors);
    }
}

/// <summary>
/// Per operator, the slot of its priced result in a fused run (<see cref="OperatorClasses.Slots"/>), how many slots there
/// are, and how many of the slots past the unfused classes are GEMMs and other operators.
/// </summary>
internal sealed record FusedSlots(int[] Of, int Count, int Gemms, int Vectors);
