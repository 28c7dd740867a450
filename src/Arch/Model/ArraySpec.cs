namespace Mantissa.Arch.Model;

/// <summary>Dataflow of the PE array: weight-, output- or input-stationary.</summary>
public enum Dataflow { WS, OS, IS }

/// <summary>A set of dataflows (bit <c>1 &lt;&lt; (int)Dataflow</c> each): the ones an open array lets the mapper choose among.</summary>
[Flags]
public enum DataflowSet { None = 0, WS = 1 << Dataflow.WS, OS = 1 << Dataflow.OS, IS = 1 << Dataflow.IS, All = WS | OS | IS }

/// <summary>
/// How a ws/is array loads its stationary operand: <c>Serial</c> shifts it in before each fold (SCALE-Sim's model);
/// <c>Overlapped</c> loads the next fold's operand into double-buffered PE registers while the current fold computes.
/// </summary>
public enum WeightPreload { Serial, Overlapped }

/// <summary>
/// The PE array: rows × cols PEs, its dataflow, how its stationary operand is loaded, and the lanes of its vector
/// (special-function) unit. <see cref="VectorLanes"/> null means no separate unit: vector operators stream through the
/// array's columns, one vector op per column per cycle.
/// </summary>
/// <para>The dataflow is fixed (<see cref="Dataflow"/>) unless <see cref="Open"/> lists several: then the mapper chooses one
/// per layer (spatial unrolling in the mapspace) and <see cref="Dataflow"/> is the first of them.</para>
public sealed record ArraySpec(int Rows, int Cols, Dataflow Dataflow, WeightPreload Preload = WeightPreload.Serial, int? VectorLanes = null)
{
    /// <summary>The dataflows the mapper chooses among (<c>dataflow: search</c> or a list); <see cref="DataflowSet.None"/> when fixed.</summary>
    public DataflowSet Open { get; init; }

    /// <summary>The dataflows a layer may run with: the open set, or the fixed dataflow alone.</summary>
    public IReadOnlyList<Dataflow> Dataflows => Open == DataflowSet.None ? FixedLists[(int)Dataflow] : OpenLists[(int)(Open & DataflowSet.All)];

    // One immutable list per fixed dataflow and per open set: every design a sweep costs and maps reads its dataflows,
    // and a new list each time was one of its allocations.
    private static readonly IReadOnlyList<Dataflow>[] FixedLists =
        Enum.GetValues<Dataflow>().Select(d => (IReadOnlyList<Dataflow>)Array.AsReadOnly(new[] { d })).ToArray();

    private static readonly IReadOnlyList<Dataflow>[] OpenLists =
        Enumerable.Range(0, (int)DataflowSet.All + 1).Select(s => (IReadOnlyList<Dataflow>)Array.AsReadOnly(In((DataflowSet)s))).ToArray();

    private static Dataflow[] In(DataflowSet open) => Enum.GetValues<Dataflow>().Where(d => (open & Bit(d)) != 0).ToArray();

    /// <summary>The dataflow as the YAML writes it: "ws", or "search(ws,os,is)" for an open array.</summary>
    public string DataflowText => Open == DataflowSet.None
        ? Name(Dataflow)
        : "search(" + string.Join(",", Dataflows.Select(Name)) + ")";

    public static DataflowSet Bit(Dataflow d) => (DataflowSet)(1 << (int)d);

    public static string Name(Dataflow d) => d.ToString().ToLowerInvariant();

    /// <summary>Vector ops per cycle: one per vector-unit lane, else one per array column.</summary>
    public int VectorOpsPerCycle => VectorLanes ?? Cols;
}
