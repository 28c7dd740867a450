using Mantissa.Arch;
using Mantissa.Workloads.Onnx;

namespace Mantissa.Workloads.Tensors;

/// <summary>
/// The per-layer weight matrices of a model file, for per-layer quantization tables: an ONNX model's Conv/MatMul/Gemm
/// weights, or a safetensors checkpoint's floating-point tensors of rank ≥ 2. Each is a 2-D [output channel, input]
/// tensor (rank > 2 flattens every axis after the first; ONNX MatMul/Gemm weights stored [K, N] are transposed).
/// Tensors are read one at a time as the sequence is enumerated.
/// </summary>
public static class LayerWeights
{
    public const string Help = "FILE.onnx or FILE.safetensors";

    public static IEnumerable<FloatTensor> Load(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".onnx")
        {
            var model = OnnxReader.Read(path);
            var layers = OnnxWeight.Find(model).Where(w => w.IsLayerWeight).ToList();
            if (layers.Count == 0) throw new MantissaException($"{path}: the model has no Conv, MatMul or Gemm weight held as a constant");
            return layers.Select(w => w.ToMatrix(path));
        }
        if (ext == ".safetensors")
        {
            var (entries, _) = SafetensorsReader.ReadHeader(path);
            var names = entries.Where(e => e.Shape.Count >= 2 && e.DType is "F32" or "F16" or "BF16" or "F64").Select(e => e.Name).ToList();
            if (names.Count == 0) throw new MantissaException($"{path}: the checkpoint has no F32/F16/BF16/F64 tensor of rank 2 or more");
            return names.Select(n => AsMatrix(SafetensorsReader.Read(path, n)));
        }
        throw new MantissaException($"{path}: per-layer tables need {Help}, not '{ext}'");
    }

    private static FloatTensor AsMatrix(FloatTensor t)
    {
        if (t.Shape.Count == 2) return t;
        long rows = t.Shape[0];
        return new FloatTensor(t.Name, new[] { rows, rows == 0 ? 0 : t.Count / rows }, t.Values);
    }
}
