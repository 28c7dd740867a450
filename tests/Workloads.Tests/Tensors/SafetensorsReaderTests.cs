using Mantissa.Arch;
using Mantissa.Workloads.Tensors;
using static Mantissa.Workloads.Tests.Tensors.TestTensorFiles;

namespace Mantissa.Workloads.Tests.Tensors;

public class SafetensorsReaderTests
{
    // All exactly representable in fp16 and bf16 (few significant bits, moderate exponents).
    private static readonly float[] Sample = { 0f, 1f, -2.5f, 0.375f, 1024f, -0.0078125f, 3.5f, -96f, 0.5f, 12f, -1f, 0.25f };

    [Theory]
    [InlineData("F32")]
    [InlineData("F16")]
    [InlineData("BF16")]
    public void RoundTripsEachDtype(string dtype)
    {
        byte[] data = dtype switch { "F32" => F32(Sample), "F16" => F16(Sample), _ => BF16(Sample) };
        var path = WriteSafetensors(new[]
        {
            new Entry("model.bias", "F32", new long[] { 3 }, F32(new[] { 1f, 2f, 3f })),
            new Entry("model.weight", dtype, new long[] { 3, 4 }, data),
        });
        try
        {
            var t = SafetensorsReader.Read(path, "model.weight");
            Assert.Equal("model.weight", t.Name);
            Assert.Equal(new long[] { 3, 4 }, t.Shape);
            Assert.Equal(Sample, t.Values);
            Assert.Equal(4, t.Columns);
            Assert.Equal(3, t.Rows);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bf16DecodesNonTrivialBitPatterns()
    {
        // 0x3F80 = 1.0, 0xC0A0 = -5.0, 0x3DCD = 0.10009765625, 0x7F80 = +inf
        var raw = new byte[] { 0x80, 0x3F, 0xA0, 0xC0, 0xCD, 0x3D, 0x80, 0x7F };
        var path = WriteSafetensors(new[] { new Entry("w", "BF16", new long[] { 4 }, raw) });
        try
        {
            var t = SafetensorsReader.Read(path);
            Assert.Equal(new[] { 1f, -5f, 0.10009765625f, float.PositiveInfinity }, t.Values);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void DefaultsToTheLargestTwoDimensionalTensor()
    {
        var path = WriteSafetensors(new[]
        {
            new Entry("big1d", "F32", new long[] { 64 }, F32(new float[64])),
            new Entry("small2d", "F32", new long[] { 2, 2 }, F32(new float[4])),
            new Entry("large2d", "F16", new long[] { 4, 4 }, F16(new float[16])),
        });
        try { Assert.Equal("large2d", SafetensorsReader.Read(path).Name); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ReadsAcrossChunkBoundariesAndCapsTheCount()
    {
        // 300k fp16 values span several 1 MiB read chunks once offset by the first tensor.
        int n = 300_000;
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i % 2048) - 1024;
        var path = WriteSafetensors(new[]
        {
            new Entry("pad", "F32", new long[] { 3 }, F32(new[] { 7f, 8f, 9f })),
            new Entry("w", "F16", new long[] { n / 1000, 1000 }, F16(v)),
        });
        try
        {
            Assert.Equal(v, SafetensorsReader.Read(path, "w").Values);
            var head = SafetensorsReader.Read(path, "w", maxValues: 5000);
            Assert.Equal(new long[] { 5, 1000 }, head.Shape);
            Assert.Equal(v.Take(5000), head.Values);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void UnknownTensorNameListsTheNames()
    {
        var path = WriteSafetensors(new[] { new Entry("layers.0.wq", "F32", new long[] { 2 }, F32(new[] { 1f, 2f })) });
        try
        {
            var e = Assert.Throws<MantissaException>(() => TensorSource.Load(path + ":layers.0.wk"));
            Assert.Contains(path, e.Message);
            Assert.Contains("no tensor named 'layers.0.wk'", e.Message);
            Assert.Contains("layers.0.wq F32[2]", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void UnsupportedDtypeNamesFileTensorAndDtype()
    {
        var path = WriteSafetensors(new[] { new Entry("q", "I8", new long[] { 4 }, new byte[4]) });
        try
        {
            var e = Assert.Throws<MantissaException>(() => SafetensorsReader.Read(path, "q"));
            Assert.Contains(path, e.Message);
            Assert.Contains("'q'", e.Message);
            Assert.Contains("unsupported dtype 'I8'", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ShapeThatDisagreesWithOffsetsIsAnError()
    {
        string header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,40]}}";
        var path = WriteSafetensors(new[] { new Entry("w", "F32", new long[] { 10 }, F32(new float[10])) }, header);
        try
        {
            var e = Assert.Throws<MantissaException>(() => SafetensorsReader.Read(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("tensor 'w'", e.Message);
            Assert.Contains("needs 48 bytes but data_offsets span 40", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void TruncatedDataIsAnError()
    {
        var path = WriteSafetensors(new[] { new Entry("w", "F32", new long[] { 2, 8 }, F32(new float[16])) }, truncateBy: 10);
        try
        {
            var e = Assert.Throws<MantissaException>(() => SafetensorsReader.Read(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("tensor 'w'", e.Message);
            Assert.Contains("truncated", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void TruncatedHeaderIsAnError()
    {
        var path = TempPath(".safetensors");
        File.WriteAllBytes(path, new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, (byte)'{' });
        try
        {
            var e = Assert.Throws<MantissaException>(() => SafetensorsReader.Read(path));
            Assert.Contains("header length 200", e.Message);
        }
        finally { File.Delete(path); }
    }
}
