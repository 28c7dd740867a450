namespace Mantissa.Workloads.Tensors;

/// <summary>One tensor listed in a safetensors header: name, dtype string, shape and byte range within the data section.</summary>
public sealed record SafetensorsEntry(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Elements in the shape; -1 when the product overflows 64 bits (the reader refuses such entries).</summary>
    public long ElementCount => TensorShape.TryElementCount(Shape) ?? -1;
}
