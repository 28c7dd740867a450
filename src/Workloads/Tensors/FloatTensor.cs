namespace Mantissa.Workloads.Tensors;

/// <summary>A dense row-major tensor of float values with its name and shape (the last axis is the input/reduction axis).</summary>
public sealed class FloatTensor
{
    public FloatTensor(string name, IReadOnlyList<long> shape, float[] values)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        if (n != values.Length)
            throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] holds {n} values but {values.Length} were given");
        Name = name;
        Shape = shape.ToArray();
        Values = values;
    }

    public string Name { get; }
    public IReadOnlyList<long> Shape { get; }
    public float[] Values { get; }
    public int Count => Values.Length;

    /// <summary>Length of the last axis (a row: one output channel of a weight matrix); 1-D tensors are one row.</summary>
    public int Columns => Shape.Count == 0 ? 1 : (int)Shape[^1];

    /// <summary>Number of rows (product of all axes but the last).</summary>
    public int Rows => Columns == 0 ? 0 : Count / Columns;

    public string ShapeText => "[" + string.Join("x", Shape) + "]";

    /// <summary>A copy with NaN and ±Inf set to 0 and their count, or null (count 0) when every value is finite.</summary>
    public FloatTensor? WithoutNonFinite(out int count)
    {
        count = 0;
        foreach (var v in Values) if (!float.IsFinite(v)) count++;
        if (count == 0) return null;
        var copy = (float[])Values.Clone();
        for (int i = 0; i < copy.Length; i++) if (!float.IsFinite(copy[i])) copy[i] = 0;
        return new FloatTensor(Name, Shape, copy);
    }
}
