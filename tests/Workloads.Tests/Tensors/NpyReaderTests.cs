using Mantissa.Arch;
using Mantissa.Workloads.Tensors;
using static Mantissa.Workloads.Tests.Tensors.TestTensorFiles;

namespace Mantissa.Workloads.Tests.Tensors;

public class NpyReaderTests
{
    private static readonly float[] Sample = { 1f, -2f, 0.5f, 3.25f, -0.125f, 100f };

    [Theory]
    [InlineData("<f4", 1)]
    [InlineData("<f4", 2)]
    [InlineData("<f4", 3)]
    [InlineData("<f2", 1)]
    [InlineData("<f8", 1)]
    public void RoundTripsVersionsAndDtypes(string descr, int major)
    {
        byte[] data = descr switch { "<f4" => F32(Sample), "<f2" => F16(Sample), _ => F64(Sample.Select(x => (double)x).ToArray()) };
        var path = WriteNpy(descr, "(2, 3)", data, major);
        try
        {
            var t = TensorSource.Load(path);
            Assert.Equal(new long[] { 2, 3 }, t.Shape);
            Assert.Equal(Sample, t.Values);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void OneDimensionalShapeWithTrailingComma()
    {
        var path = WriteNpy("<f4", "(6,)", F32(Sample));
        try { Assert.Equal(new long[] { 6 }, NpyReader.Read(path).Shape); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void UnsupportedDtypeIsAnError()
    {
        var path = WriteNpy(">f4", "(6,)", F32(Sample));
        try
        {
            var e = Assert.Throws<MantissaException>(() => NpyReader.Read(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("unsupported .npy dtype '>f4'", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FortranOrderIsAnError()
    {
        var path = WriteNpy("<f4", "(2, 3)", F32(Sample), fortran: true);
        try { Assert.Contains("Fortran-order", Assert.Throws<MantissaException>(() => NpyReader.Read(path)).Message); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ShapeLargerThanTheDataIsAnError()
    {
        var path = WriteNpy("<f4", "(3, 3)", F32(Sample));
        try
        {
            var e = Assert.Throws<MantissaException>(() => NpyReader.Read(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("needs 36 data bytes but the file has 24", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void TruncatedFileIsAnError()
    {
        var path = WriteNpy("<f4", "(2, 3)", F32(Sample), truncateBy: 4);
        try { Assert.Contains("truncated", Assert.Throws<MantissaException>(() => NpyReader.Read(path)).Message); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void NotAnNpyFileIsAnError()
    {
        var path = TempPath(".npy");
        File.WriteAllText(path, "hello world, not numpy");
        try { Assert.Contains("not a .npy file", Assert.Throws<MantissaException>(() => NpyReader.Read(path)).Message); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void UnknownSourceNamesTheChoices()
    {
        var e = Assert.Throws<MantissaException>(() => TensorSource.Load("gausian"));
        Assert.Contains("unknown tensor source 'gausian'", e.Message);
        Assert.Contains("student-t", e.Message);
    }
}
