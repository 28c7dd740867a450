using System.Runtime.CompilerServices;
using Mantissa.Arch;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Tests.Tensors;

/// <summary>
/// Reads .npy files written by NumPy 1.24 itself (np.save and np.lib.format.write_array with versions 1.0, 2.0, 3.0;
/// Data/ holds them, the script is in the comment below), so the reader is checked against the real writer.
/// </summary>
/// <remarks>
/// a = (np.arange(15) * 0.37 - 1).astype(np.float32).reshape(3, 5); np.save("numpy_f4_v1.npy", a)
/// b = (np.arange(12) * 0.25 - 1).astype(np.float16).reshape(4, 3); write_array(f, b, version=(2, 0))
/// c = np.arange(7, dtype=np.float64) / 7; write_array(f, c, version=(3, 0))
/// np.save("numpy_be_f4.npy", a.astype(">f4")); np.save("numpy_fortran_f4.npy", np.asfortranarray(a));
/// np.save("numpy_i8.npy", np.arange(4, dtype=np.int8))
/// </remarks>
public class NumpyWrittenFileTests
{
    private static string Data(string name, [CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Data", name);

    [Fact]
    public void Float32Version1()
    {
        var t = NpyReader.Read(Data("numpy_f4_v1.npy"));
        Assert.Equal(new long[] { 3, 5 }, t.Shape);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => (float)(i * 0.37 - 1)), t.Values);
    }

    [Fact]
    public void Float16Version2()
    {
        var t = NpyReader.Read(Data("numpy_f2_v2.npy"));
        Assert.Equal(new long[] { 4, 3 }, t.Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)(i * 0.25 - 1)), t.Values);
    }

    [Fact]
    public void Float64Version3()
    {
        var t = NpyReader.Read(Data("numpy_f8_v3.npy"));
        Assert.Equal(new long[] { 7 }, t.Shape);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (float)(i / 7.0)), t.Values);
    }

    [Theory]
    [InlineData("numpy_be_f4.npy", "unsupported .npy dtype '>f4'")]
    [InlineData("numpy_i8.npy", "unsupported .npy dtype '|i1'")]
    [InlineData("numpy_fortran_f4.npy", "Fortran-order")]
    public void UnsupportedNumpyFilesAreClearErrors(string file, string message)
    {
        var e = Assert.Throws<MantissaException>(() => NpyReader.Read(Data(file)));
        Assert.Contains(message, e.Message);
        Assert.Contains(file, e.Message);
    }
}
