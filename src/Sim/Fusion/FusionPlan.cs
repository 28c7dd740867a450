using Mantissa.Arch.Model;
using Mantissa.Sim.Mapping;

namespace Mantissa.Sim.Fusion;

/// <summary>
/// A fusion plan for one operator list: the tensors kept on chip (whole, or as attention tiles: <see cref="Tiled"/>),
/// per operator the bytes of kept tensors (or attention tiles) live while it runs, and what each operator takes from
/// the fusion level, derived once per plan. Immutable once built: <see cref="FusionPlanner"/> shares one plan among the
/// design points whose planning inputs are equal.
/// </summary>
internal sealed class FusionPlan
{
    public FusionPlan(IReadOnlyList<SimOperator> ops, HashSet<string> resident, HashSet<string> tiled, double[] live)
    {
        Resident = resident; Tiled = tiled; Live = live;
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

    /// <summary>Per operator, the bytes of kept tensors (or attention tiles) live while it runs.</summary>
    public double[] Live { get; }

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

    /// <summary>The operator groups of this plan, found once (<see cref="FusionGroups"/>).</summary>
    internal FusionGroups.Structure? Groups { get; set; }

    public void Deconstruct(out IReadOnlySet<string> resident, out IReadOnlySet<string> tiled, out double[] live)
    {
        resident = Resident; tiled = Tiled; live = Live;
    }
}
