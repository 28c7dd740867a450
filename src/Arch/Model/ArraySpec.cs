namespace Mantissa.Arch.Model;

/// <summary>Dataflow of the PE array: weight-, output- or input-stationary.</summary>
public enum Dataflow { WS, OS, IS }

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
public sealed record ArraySpec(int Rows, int Cols, Dataflow Dataflow, WeightPreload Preload = WeightPreload.Serial, int? VectorLanes = null)
{
    /// <summary>Vector ops per cycle: one per vector-unit lane, else one per array column.</summary>
    public int VectorOpsPerCycle => VectorLanes ?? Cols;
}
