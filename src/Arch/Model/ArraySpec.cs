namespace Mantissa.Arch.Model;

/// <summary>Dataflow of the PE array: weight-, output- or input-stationary.</summary>
public enum Dataflow { WS, OS, IS }

/// <summary>The PE array: rows × cols PEs and its dataflow.</summary>
public sealed record ArraySpec(int Rows, int Cols, Dataflow Dataflow);
