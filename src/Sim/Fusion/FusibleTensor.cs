namespace Mantissa.Sim.Fusion;

/// <summary>
/// An activation that layer fusion may keep on chip: its bytes and the operators (indices in simulation order) from
/// its producer to its last consumer, over which it would occupy the buffer.
/// </summary>
public sealed record FusibleTensor(string Name, double Bytes, int Producer, int LastConsumer);
