using Mantissa.Arch;
using Mantissa.Workloads.Onnx;

namespace Mantissa.Workloads.Tensors;

/// <summary>
/// Resolves a tensor source string: a synthetic name (<c>gaussian</c>, <c>laplace</c>, <c>student-t</c>, <c>outliers</c>),
/// a <c>.npy</c> file, or a <c>.safetensors</c> or <c>.onnx</c> file optionally followed by <c>:TENSOR_NAME</c>.
/// </summary>
public static class TensorSource
{
    public const string Help = "gaussian, laplace, student-t, outliers, FILE.npy, FILE.safetensors[:TENSOR_NAME] or FILE.onnx[:TENSOR_NAME]";

    /// <summary>Loads the source; <paramref name="count"/> is the synthetic size, or for files a cap on values read (0: all).</summary>
    public static FloatTensor Load(string source, ulong seed = 1, int count = 0, double nu = 3)
    {
        if (string.IsNullOrWhiteSpace(source)) throw new MantissaException($"empty tensor source; expected {Help}");
        if (SyntheticTensorSpec.Names.TryGetValue(source, out var dist))
            return SyntheticTensorGenerator.Generate(new SyntheticTensorSpec(dist, count > 0 ? count : SyntheticTensorSpec.DefaultCount, seed, nu));

        var (path, tensor) = Split(source);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".npy")
        {
            if (tensor is not null) throw new MantissaException($"{path}: a .npy file holds one array; remove ':{tensor}'");
            return NpyReader.Read(path, count);
        }
        if (ext == ".safetensors") return SafetensorsReader.Read(path, tensor, count);
        if (ext == ".onnx") return OnnxWeight.Select(OnnxReader.Read(path), tensor).ToMatrix(path, count);
        if (!File.Exists(path))
            throw new MantissaException($"unknown tensor source '{source}'; expected {Help}");
        throw new MantissaException($"{path}: unsupported tensor file type '{ext}'; expected .safetensors, .onnx or .npy");
    }

    private static (string Path, string? Tensor) Split(string source)
    {
        // "C:\x.safetensors" must not split at the drive colon: split only after a known extension.
        foreach (var ext in new[] { ".safetensors:", ".onnx:", ".npy:" })
        {
            int i = source.IndexOf(ext, StringComparison.OrdinalIgnoreCase);
            if (i >= 0) return (source[..(i + ext.Length - 1)], source[(i + ext.Length)..]);
        }
        return (source, null);
    }
}
