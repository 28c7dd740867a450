using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using Mantissa.Arch;

namespace Mantissa.Workloads.Tensors;

/// <summary>Reads a NumPy <c>.npy</c> array (format versions 1–3) of little-endian float16/32/64 in C order.</summary>
public static partial class NpyReader
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>Reads at most <paramref name="maxValues"/> leading values (0: all).</summary>
    public static FloatTensor Read(string path, int maxValues = 0)
    {
        InputFile.RequireRegular(path, ".npy file");
        long fileLength = new FileInfo(path).Length;
        string header;
        long dataStart;
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            var pre = new byte[12];
            int got = fs.ReadAtLeast(pre, 10, throwOnEndOfStream: false);
            if (got < 10 || !pre.AsSpan(0, 6).SequenceEqual(Magic))
                throw new MantissaException($"{path}: not a .npy file (missing the \\x93NUMPY magic)");
            int major = pre[6];
            long headerLen;
            int preamble;
            switch (major)
            {
                case 1: headerLen = BinaryPrimitives.ReadUInt16LittleEndian(pre.AsSpan(8)); preamble = 10; break;
                case 2 or 3:
                    if (got < 12) throw new MantissaException($"{path}: .npy file truncated inside its preamble");
                    headerLen = BinaryPrimitives.ReadUInt32LittleEndian(pre.AsSpan(8)); preamble = 12; break;
                default: throw new MantissaException($"{path}: unsupported .npy format version {major}.{pre[7]}; supported: 1.0, 2.0, 3.0");
            }
            if (headerLen > 1 << 20) throw new MantissaException($"{path}: .npy header length {headerLen} is over the 1 MiB limit (numpy writes a few hundred bytes)");
            if (preamble + headerLen > fileLength) throw new MantissaException($"{path}: .npy file truncated inside its header");
            var hb = new byte[headerLen];
            fs.Seek(preamble, SeekOrigin.Begin);
            fs.ReadExactly(hb);
            header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(hb);
            dataStart = preamble + headerLen;
        }

        var descr = DescrPattern().Match(header);
        if (!descr.Success) throw new MantissaException($"{path}: .npy header has no 'descr': {header.Trim()}");
        StoredDType dtype = descr.Groups[1].Value switch
        {
            "<f2" => StoredDType.F16,
            "<f4" => StoredDType.F32,
            "<f8" => StoredDType.F64,
            var d => throw new MantissaException($"{path}: unsupported .npy dtype '{d}'; supported: '<f2', '<f4', '<f8'"),
        };
        var fortran = FortranPattern().Match(header);
        if (!fortran.Success) throw new MantissaException($"{path}: .npy header has no 'fortran_order': {header.Trim()}");
        if (fortran.Groups[1].Value == "True")
            throw new MantissaException($"{path}: Fortran-order arrays are not supported; save with np.ascontiguousarray (C order)");
        var shapeMatch = ShapePattern().Match(header);
        if (!shapeMatch.Success) throw new MantissaException($"{path}: .npy header has no 'shape' tuple: {header.Trim()}");
        var shape = new List<long>();
        foreach (var part in shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string digits = part.TrimEnd('L');
            if (!long.TryParse(digits, out long d) || d < 0) throw new MantissaException($"{path}: .npy shape entry '{part}' is not a non-negative integer");
            shape.Add(d);
        }
        long needed = TensorShape.Bytes(shape, StoredDTypes.Size(dtype), path);
        long total = needed / StoredDTypes.Size(dtype);
        TensorShape.RequireValues(shape, path);
        if (needed > fileLength - dataStart)
            throw new MantissaException($"{path}: truncated: shape ({string.Join(", ", shape)}) of {descr.Groups[1].Value} needs {needed} data bytes but the file has {fileLength - dataStart}");
        long take = maxValues > 0 ? Math.Min(total, maxValues) : total;
        if (take > Array.MaxLength) throw new MantissaException($"{path}: array has {total} values, more than fit in memory at once; pass --count");
        string name = Path.GetFileNameWithoutExtension(path);
        var values = ChunkedTensorReader.Read(path, name, dataStart, dtype, (int)take);
        return new FloatTensor(name, take == total ? shape : SafetensorsReader.PrefixShape(shape, take), values);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")] private static partial Regex DescrPattern();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")] private static partial Regex FortranPattern();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")] private static partial Regex ShapePattern();
}
