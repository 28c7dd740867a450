using Mantissa.Arch.Model;
using Mantissa.Sim.Mapping;

namespace Mantissa.Sim.Fusion;

/// <summary>
/// A fusion plan for one operator list: the tensors kept on chip (whole, or as attention tiles: <see cref="Tiled"/>),
/// per operator the bytes of kept tensors (or attention tiles) live while it runs, and what each operator takes from
/// the fusion level, derived once per set of kept tensors (<see cref="PlanShape"/>). Immutable once built:
/// <see cref="FusionPlanner"/> shares one plan among the design points whose planning inputs are equal.
/// </summary>
internal sealed class FusionPlan
{
    public FusionPlan(IReadOnlyList<SimOperator> ops, HashSet<string> resident, HashSet<string> tiled, double[] live)
        : this(new PlanShape(ops, resident, tiled), live)
    {
    }

    /// <param name="shape">What the kept tensors give every operator (shared by the plans that keep the same tensors).</param>
    /// <param name="live">Per operator, the bytes of kept tensors (or attention tiles) live while it runs.</param>
    public FusionPlan(PlanShape shape, double[] live)
    {
        Shape = shape; Live = live;
    }

    /// <summary>The kept tensors and what each operator takes from the fusion level.</summary>
    public PlanShape Shape { get; }

    /// <summary>The tensors kept on chip, whole or tiled.</summary>
    public IReadOnlySet<string> Resident => Shape.Resident;

    /// <summary>The kept tensors that are attention blocks tiled FlashAttention-style.</summary>
    public IReadOnlySet<string> Tiled => Shape.Tiled;

    /// <summary>Per operator, the bytes of kept tensors (or attention tiles) live while it runs.</summary>
    public double[] Live { get; }

    /// <inheritdoc cref="PlanShape.Touches"/>
    public bool[] Touches => Shape.Touches;

    /// <inheritdoc cref="PlanShape.TouchesTiled"/>
    public bool[] TouchesTiled => Shape.TouchesTiled;

    /// <inheritdoc cref="PlanShape.Operands"/>
    public TensorSet[] Operands => Shape.Operands;

    /// <inheritdoc cref="PlanShape.ChipIn"/>
    public double[] ChipIn => Shape.ChipIn;

    /// <inheritdoc cref="PlanShape.ChipOut"/>
    public double[] ChipOut => Shape.ChipOut;

    /// <summary>Per operator, the slot of its priced result under this plan (<see cref="OperatorClasses.Slots"/>), once found.</summary>
    internal FusedSlots? Slots { get; set; }

    public void Deconstruct(out IReadOnlySet<string> resident, out IReadOnlySet<string> tiled, out double[] live)
    {
        resident = Resident; tiled = Tiled; live = Live;
    }
}

/// <summary>
/// The part of a fusion plan its kept tensors alone determine: per operator whether it reads or writes one, its GEMM
/// operands among them and the bytes of them it reads and writes, and the operator groups they join. Immutable once
/// built (its groups are found once, on first use); shared by the plans of every design that keeps the same tensors.
/// </summary>
internal sealed class PlanShape
{
    public PlanShape(IReadOnlyList<SimOperator> ops, HashSet<string> resident, HashSet<string> tiled)
    {
        Resident = resident; Tiled = tiled;
        Touches = new bool[ops.Count];
        TouchesTiled = new bool[ops.Count];
        Operands = new TensorSet[ops.Count];
        ChipIn = new double[ops.Count];
        ChipOut = new double[ops.Count];
        if (resident.Count == 0) return;
        for (int i = 0; i < ops.Count; i++)
            foreach (var u in ops[i].Uses)
            {
                if (!resident.Contains(u.Name)) continue;
                Touches[i] = true;
                TouchesTiled[i] |= tiled.Contains(u.Name);
                if (u.Operand is { } x) Operands[i] |= ArchView.SetOf(x);
                // summed in use order, as an element-wise operator's traffic is counted
                if (u.Written) ChipOut[i] += u.Bytes; else ChipIn[i] += u.Bytes;
            }
    }

    /// <summary>The tensors kept on chip, whole or tiled.</summary>
    public IReadOnlySet<string> Resident { get; }

    /// <summary>The kept tensors that are attention blocks tiled FlashAttention-style.</summary>
    public IReadOnlySet<string> Tiled { get; }

    /// <summary>Per operator, whether it reads or writes a kept tensor.</summary>
    public bool[] Touches { get; }

    /// <summary>Per operator, whether it reads or writes a tensor of a tiled attention block.</summary>
    public bool[] TouchesTiled { get; }

    /// <summary>Per operator, its GEMM operands that are kept tensors.</summary>
    public TensorSet[] Operands { get; }

    /// <summary>Per operator, the bytes of kept tensors it reads (<see cref="ChipIn"/>) and writes (<see cref="ChipOut"/>), in use order.</summary>
    public double[] ChipIn { get; }

    /// <inheritdoc cref="ChipIn"/>
    public double[] ChipOut { get; }

    /// <summary>The operator groups of these kept tensors, found once (<see cref="FusionGroups"/>).</summary>
    internal FusionGroups.Structure? Groups { get; set; }
}
