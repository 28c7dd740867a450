namespace Mantissa.Workloads.Tensors;

/// <summary>One tensor listed in a safetensors header: name, dtype string, shape and byte range within the data section.</summary>
public sealed record SafetensorsEntry(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
